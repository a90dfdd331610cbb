"""/staff/followup/: the daily follow-up of a team or contractor as a page."""

import datetime as dt

import pytest

from geocases.cases.models import Case
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    OrganisationUnitFactory,
    UserFactory,
    case_in_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    team = OrganisationUnitFactory(code="gata", name="Gata och park")
    contractor = ContractorFactory(code="snow", name="Snö AB")
    other = ContractorFactory(code="waste", name="Avfall AB")
    category = CategoryFactory(place_kind="none", default_unit=team)
    cases = {
        "open": case_in_status("assigned", category=category, title="Trasig bänk"),
        "parked": case_in_status("parked", category=category, title="Lövhög"),
        "snow": case_in_status("assigned", category=category, title="Snövall"),
        "waste": case_in_status("assigned", category=category, title="Sopkärl"),
    }
    Case.objects.filter(pk=cases["parked"].pk).update(parked_until=dt.date(2020, 1, 1))
    Case.objects.filter(pk=cases["snow"].pk).update(responsible_unit=contractor)
    Case.objects.filter(pk=cases["waste"].pk).update(responsible_unit=other)
    return team, contractor, other, cases


def test_staff_see_their_own_units_follow_up(client, units):
    team, _contractor, _other, cases = units
    client.force_login(UserFactory(role="handler", unit=team))
    page = client.get("/staff/followup/").content.decode()
    assert "Daglig uppföljning" in page and "Gata och park" in page
    assert cases["open"].number in page and "Trasig bänk" in page
    assert cases["parked"].number in page  # its follow-up day has passed
    assert cases["snow"].number not in page
    assert 'id="parked_due"' in page


def test_customer_service_may_pick_any_unit_with_cases(client, units):
    _team, _contractor, _other, cases = units
    client.force_login(UserFactory(role="agent"))
    page = client.get("/staff/followup/?unit=snow").content.decode()
    assert cases["snow"].number in page and cases["open"].number not in page
    assert 'value="waste"' in page  # in the unit picker
    # A contractor's cases open on the desk's page, which customer service may
    # use (the field view is the contractor's own).
    assert f"/desk/cases/{cases['snow'].number}/" in page
    assert client.get(f"/desk/cases/{cases['snow'].number}/").status_code == 200


def test_a_contractor_sees_only_their_own_organisation(client, units):
    _team, contractor, _other, cases = units
    client.force_login(UserFactory(role="contractor", unit=contractor))
    page = client.get("/staff/followup/").content.decode()
    assert cases["snow"].number in page and cases["waste"].number not in page
    assert f"/field/{cases['snow'].number}/" in page  # their own view of it
    assert 'value="waste"' not in page
    assert client.get("/staff/followup/?unit=waste").status_code == 404
    assert client.get("/staff/followup/?unit=gata").status_code == 404


def test_only_staff_may_see_the_follow_up(client, units):
    assert client.get("/staff/followup/").status_code == 302  # to log-in
    client.force_login(UserFactory(role=""))
    assert client.get("/staff/followup/").status_code == 403
