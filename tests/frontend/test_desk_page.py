"""/desk/: registering a case during a call, with its outcome, all or nothing."""

import pytest

from geocases.cases.models import Case
from geocases.knowledge.services import article_save
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    ServiceAreaFactory,
    UserFactory,
    case_in_status,
    square,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def snow():
    category = CategoryFactory(code="snow", place_kind="any", template_title_sv="Halka")
    ServiceAreaFactory(
        unit=ContractorFactory(name="Plogbolaget AB"),
        categories=[category],
        geometry=square(18.0, 59.3, 0.1),
    )
    return category


# A caller reporting snow at a point, forwarded to whoever is responsible.
SNOW_CALL = {
    "category": "snow",
    "lat": "59.35",
    "lon": "18.05",
    "phone": "070-1234567",
    "channel": "phone",
    "outcome": "forward",
}


def test_forwarded_to_the_routed_contractor_and_the_number_shown_large(client, agent, snow):
    response = client.post("/desk/", SNOW_CALL)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == "assigned" and case.responsible_unit.name == "Plogbolaget AB"
    assert case.title == "Halka" and case.channel == "phone"
    page = client.get(response["Location"]).content.decode()
    link = f'<a href="/desk/cases/{case.number}/">{case.number}</a>'
    assert f'<p class="case-number">{link}</p>' in page


def test_a_double_click_on_register_makes_one_case(client, agent, snow):
    page = client.get("/desk/").content.decode()
    key = page.split('name="submission" value="')[1].split('"')[0]
    call = {**SNOW_CALL, "submission": key}
    first, second = client.post("/desk/", call), client.post("/desk/", call)
    case = Case.objects.get()
    assert first["Location"] == second["Location"] == f"/desk/?created={case.number}"
    # The next caller on the same form, changed: a case of its own.
    client.post("/desk/", {**call, "phone": "070-7654321"})
    assert Case.objects.count() == 2


def test_solved_at_first_contact(client, agent):
    CategoryFactory(code="invoice", place_kind="none")
    client.post(
        "/desk/",
        {
            "category": "invoice",
            "no_place": "on",
            "channel": "phone",
            "outcome": "solve",
            "resolution": "Förklarade fakturan",
        },
    )
    case = Case.objects.get()
    assert case.status == "closed" and case.resolved_at_first_contact


def test_parked_without_a_date_writes_nothing(client, agent):
    CategoryFactory(code="invoice", place_kind="none")
    page = client.post(
        "/desk/", {"category": "invoice", "no_place": "on", "channel": "phone", "outcome": "park"}
    ).content.decode()
    assert 'role="alert"' in page and not Case.objects.exists()


def test_forwarded_to_a_person_from_the_directory(client, agent, snow):
    handler = UserFactory(role="handler")
    client.post(
        "/desk/",
        {
            "category": "snow",
            "lat": "59.35",
            "lon": "18.05",
            "channel": "phone",
            "outcome": "forward",
            "forward_to": handler.pk,
        },
    )
    assert Case.objects.get().responsible_user == handler


def test_opened_by_the_telephone_system_with_the_callers_history(client, agent, snow):
    earlier = case_in_status("resolved", reporter_phone="070-123 45 67")
    article_save(user=agent, title="Manus: halka", kind="script", categories=[snow])
    page = client.get("/desk/", {"phone": "0701234567", "queue": snow.group.code}).content.decode()
    assert earlier.number in page
    assert 'value="0701234567"' in page


def test_the_console_is_for_desk_staff(client):
    assert client.get("/desk/").status_code == 302
    client.force_login(UserFactory(role="contractor", unit=ContractorFactory()))
    assert client.get("/desk/").status_code == 403


def test_a_required_question_of_the_category_is_said_beside_it(client, agent, snow):
    snow.fields.create(
        code="surface", label_sv="Var?", label_en="Where?", datatype="string", required=True
    )
    page = client.post("/desk/", SNOW_CALL).content.decode()
    assert 'id="extra-snow-surface-error"' in page  # beside the question itself
    assert '<a href="#extra-snow-surface">Om ”' in page  # and in the summary, as a link
    assert not Case.objects.exists()


def test_an_agent_registers_a_place_outside_the_city(client, agent, snow):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from tests.factories import DistrictFactory

    DistrictFactory(geometry=MultiPolygon(Polygon.from_bbox((18.0, 59.3, 18.1, 59.4)), srid=4326))
    beyond = {**SNOW_CALL, "lat": "59.45", "lon": "18.3"}  # a caller on the boundary road
    assert client.post("/desk/", beyond).status_code == 302
    assert Case.objects.get().location is not None
