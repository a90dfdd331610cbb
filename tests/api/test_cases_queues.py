"""?queue= on the cases list: the work queues of the signed-in member of staff."""

import datetime as dt

import pytest
from django.utils import timezone

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.factories import OrganisationUnitFactory, case_in_status

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


def numbers(client, queue) -> set[str]:
    response = client.get(URL, {"queue": queue})
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


def test_mine_and_my_teams_cases(agent, agent_user):
    team = OrganisationUnitFactory(parent=agent_user.unit)
    mine = case_in_status("assigned")
    Case.objects.filter(pk=mine.pk).update(responsible_user=agent_user)
    teams = case_in_status("assigned")
    Case.objects.filter(pk=teams.pk).update(responsible_unit=team)
    case_in_status("assigned")  # someone else's
    closed = case_in_status("closed")
    Case.objects.filter(pk=closed.pk).update(responsible_user=agent_user)

    assert numbers(agent, "mine") == {mine.number}
    assert numbers(agent, "team") == {teams.number}


def test_parked_and_due_today_overdue_and_unassigned(agent):
    due = case_in_status("parked")
    Case.objects.filter(pk=due.pk).update(parked_until=timezone.localdate())
    case_in_status("parked")  # parked until 2099
    late = case_in_status("assigned")
    Case.objects.filter(pk=late.pk).update(resolve_by=timezone.now() - dt.timedelta(hours=1))
    fresh = case_in_status("new")

    assert numbers(agent, "parked_due") == {due.number}
    assert numbers(agent, "overdue") == {late.number}
    assert fresh.number in numbers(agent, "unassigned")


def test_queues_are_for_staff(anonymous):
    response = anonymous.get(URL, {"queue": "mine"})
    assert response.status_code == 400 and "queue" in error_fields(response)
