"""GET /open311/v2/servicerequestupdates.{json,xml}: public updates, as
FixMyStreet's extension has them."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from geocases.cases.lifecycle import Status
from geocases.cases.models import CaseEvent
from geocases.cases.services import case_merge, case_note_add, case_transition
from geocases.categories.models import PlaceKind
from tests.factories import CategoryFactory, staff_actor
from tests.open311.factories import records, reported_case

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]
UPDATE_FIELDS = [
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
]


def get_updates(client, fmt="json", **query):
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", query)
    assert response.status_code == 200, response.content
    return records(response, fmt, root="service_request_updates", item="request_update")


def worked_through(case):
    """assigned → acknowledged → feedback given (with a message) → resolved."""
    handler = staff_actor("agent")
    case_transition(
        case=case, actor=handler, to=Status.ASSIGNED, responsible_unit=handler.user.unit
    )
    case_transition(case=case, actor=handler, to=Status.ACKNOWLEDGED)
    case_transition(case=case, actor=handler, to=Status.FEEDBACK_GIVEN, message="Vi lagar det.")
    case_note_add(case=case, actor=handler, text="Internt: beställ asfalt", public=False)
    case_transition(case=case, actor=handler, to=Status.RESOLVED, resolution="Lagat.")
    return handler


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_updates_in_order_with_the_status_after_each_never_staffs_words(
    client, pothole, fmt
):
    case = reported_case(pothole)
    worked_through(case)

    updates = get_updates(client, fmt, locale="en")

    assert all(list(u) == UPDATE_FIELDS for u in updates)
    assert {u["service_request_id"] for u in updates} == {case.number}
    described = [(u["status"], u["description"]) for u in updates]
    assert described == [
        ("open", "The case is now “Assigned”."),
        ("open", "The case is now “Acknowledged”."),
        ("open", "The case is now “Feedback given”."),
        ("open", "The city has sent the reporter an update."),
        ("closed", "The case is now “Resolved”."),
    ]
    events = CaseEvent.objects.filter(is_public=True, kind__in=["status", "public_update"])
    assert [u["update_id"] for u in updates] == [str(e.pk) for e in events.order_by("at", "id")]
    assert all(
        dt.datetime.fromisoformat(u["updated_datetime"]).utcoffset() is not None for u in updates
    )


def test_internal_notes_and_private_categories_never_appear(client):
    invoice = CategoryFactory(code="invoice", is_public=False, place_kind=PlaceKind.NONE)
    case = reported_case(invoice, location=None)
    case_note_add(case=case, actor=staff_actor("agent"), text="Fakturan krediteras", public=True)
    public = reported_case(CategoryFactory(code="graffiti"))
    case_note_add(case=public, actor=staff_actor("agent"), text="Hemligt", public=False)

    assert get_updates(client) == []


def test_a_merge_is_an_update_closing_the_duplicate(client, pothole):
    original, duplicate = reported_case(pothole), reported_case(pothole)
    agent = staff_actor("agent")
    case_transition(
        case=duplicate, actor=agent, to=Status.ASSIGNED, responsible_unit=agent.user.unit
    )
    case_merge(duplicate=duplicate, into=original, actor=agent)

    last = get_updates(client)[-1]

    assert last["service_request_id"] == duplicate.number
    assert (last["status"], last["description"]) == ("closed", f"Duplicate of {original.number}.")


def test_start_and_end_date_choose_the_window(client, pothole):
    case = reported_case(pothole)
    agent = staff_actor("agent")
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        early = case_note_add(case=case, actor=agent, text="Tidigt", public=True)
    late = case_note_add(case=case, actor=agent, text="Sent", public=True)

    start = (timezone.now() - dt.timedelta(days=4)).isoformat()
    end = (timezone.now() - dt.timedelta(days=2)).isoformat()
    assert [u["update_id"] for u in get_updates(client, start_date=start, end_date=end)] == [
        str(early.pk)
    ]
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    assert [u["update_id"] for u in get_updates(client, start_date=since)] == [str(late.pk)]


def test_a_bad_date_is_400_in_the_spec_error_format(client):
    response = client.get("/open311/v2/servicerequestupdates.xml?start_date=soon")

    assert response.status_code == 400
    [error] = records(response, "xml", root="errors", item="error")
    assert error["code"] == "400"
    assert error["description"].startswith("start_date: ")
