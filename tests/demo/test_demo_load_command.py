import pytest
from django.core.management import CommandError, call_command

from geocases.accounts.models import User

pytestmark = pytest.mark.django_db


def test_command_loads_and_reports(capsys, settings):
    settings.DEBUG = True
    call_command("demo_load", cases=5, verbosity=0)
    out = capsys.readouterr().out
    assert "districts: 117 (117 new)" in out
    assert "sample cases: 5 created" in out
    assert "staff: 16 (16 new)" in out
    assert "Demo city loaded." in out


def test_command_refuses_on_a_production_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("demo_load", cases=5, verbosity=0)
    assert not User.objects.exists()


def test_command_loads_on_a_production_site_when_told_to(settings):
    settings.DEBUG = False
    call_command("demo_load", allow_demo_passwords=True, cases=0, verbosity=0)
    assert User.objects.filter(username="agent").exists()
