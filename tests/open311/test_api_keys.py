"""API keys: issued in the admin, shown once, stored only as a digest."""

import hashlib
import re

import pytest

from geocases.open311.errors import ApiKeyRefused
from geocases.open311.models import ApiKey
from geocases.open311.services import api_key_check
from tests.factories import UserFactory
from tests.open311.factories import api_key_issued

pytestmark = pytest.mark.django_db


def test_an_issued_key_is_stored_only_as_its_digest_and_prefix():
    _api_key, raw_key = api_key_issued(name="FixMyStreet", contact="fms@example.org")

    stored = ApiKey.objects.get()
    assert len(raw_key) >= 40
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert stored.prefix == raw_key[:8]
    assert raw_key not in {str(v) for v in stored.__dict__.values()}
    assert stored.created_at is not None and stored.last_used_at is None


def test_check_accepts_the_key_and_refuses_others():
    api_key, raw_key = api_key_issued()

    assert api_key_check(raw_key=raw_key) == api_key
    for wrong in ["", "   ", raw_key[:-1], raw_key.upper()]:
        with pytest.raises(ApiKeyRefused):
            api_key_check(raw_key=wrong)


def test_a_withdrawn_key_is_refused():
    api_key, raw_key = api_key_issued()
    api_key.is_active = False
    api_key.save()

    with pytest.raises(ApiKeyRefused):
        api_key_check(raw_key=raw_key)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="administrator", is_staff=True, is_superuser=True))
    return client


def test_the_admin_issues_a_key_and_shows_it_once(admin_client):
    response = admin_client.post(
        "/admin/open311/apikey/add/",
        {"name": "FixMyStreet", "contact": "fms@example.org", "is_active": "on"},
        follow=True,
    )

    assert response.status_code == 200
    stored = ApiKey.objects.get()
    shown = " ".join(m.message for m in response.context["messages"])
    # The message may be in either language: find the key by its known beginning.
    raw_key = re.search(re.escape(stored.prefix) + r"[A-Za-z0-9_-]{35,}", shown).group()
    assert api_key_check(raw_key=raw_key) == stored
    later = admin_client.get(f"/admin/open311/apikey/{stored.pk}/change/").content.decode()
    assert raw_key not in later
    assert stored.key_hash not in later


def test_keys_and_submissions_are_listed_in_the_admin(admin_client):
    api_key_issued(name="City app")

    assert "City app" in admin_client.get("/admin/open311/apikey/").content.decode()
    assert admin_client.get("/admin/open311/submission/").status_code == 200
