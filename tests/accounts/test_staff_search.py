import pytest

from geocases.accounts.selectors import staff_search
from tests.factories import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    traffic = OrganisationUnitFactory(code="traffic", name="Trafikkontoret")
    winter = OrganisationUnitFactory(code="winter", name="Vinterväghållning", parent=traffic)
    school = OrganisationUnitFactory(code="school", name="Utbildningsförvaltningen")
    return {
        "anna": UserFactory(
            first_name="Anna",
            last_name="Andersson",
            unit=traffic,
            job_title="Gatuingenjör",
            role="handler",
        ),
        "lars": UserFactory(
            first_name="Lars", last_name="Berg", unit=winter, role="handler", phone="08-46 500 415"
        ),
        "omar": UserFactory(first_name="Omar", last_name="Said", unit=school, role="handler"),
        "gone": UserFactory(
            first_name="Anna", last_name="Gammal", unit=traffic, role="handler", is_active=False
        ),
        "no-role": UserFactory(first_name="Anna", last_name="Konsult", unit=traffic, role=""),
        "units": (traffic, winter, school),
    }


def names(users):
    return [u.first_name for u in users]


def test_by_name_with_every_word_matching(directory):
    assert names(staff_search(query="anna")) == ["Anna"]
    assert names(staff_search(query="anna andersson")) == ["Anna"]
    assert names(staff_search(query="BERG")) == ["Lars"]


def test_by_job_title_phone_and_unit_name(directory):
    assert names(staff_search(query="gatuingenjör")) == ["Anna"]
    assert names(staff_search(query="500 415")) == ["Lars"]
    assert names(staff_search(query="utbildning")) == ["Omar"]


def test_by_unit_including_its_teams(directory):
    traffic, winter, _ = directory["units"]
    assert sorted(names(staff_search(unit=traffic))) == ["Anna", "Lars"]
    assert names(staff_search(unit=traffic, include_teams=False)) == ["Anna"]
    assert names(staff_search(unit=winter)) == ["Lars"]


def test_inactive_and_role_less_accounts_are_not_in_the_directory(directory):
    assert "Gammal" not in [u.last_name for u in staff_search()]
    assert "Konsult" not in [u.last_name for u in staff_search()]
