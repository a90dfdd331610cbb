"""The reporter's name, e-mail and phone never leave through Open311."""

import pytest

from geocases.cases.services import case_note_add
from tests.factories import staff_actor

pytestmark = pytest.mark.django_db

PERSONAL = ["Anna", "Svensson", "anna.svensson@example.org", "070-123 45 67", "0701234567"]


def test_no_open311_output_shows_who_reported(client, pothole, raw_key):
    created = client.post(
        "/open311/v2/requests.xml",
        {
            "api_key": raw_key,
            "service_code": "pothole",
            "lat": "59.315",
            "long": "18.07",
            "attribute[size]": "small",
            "first_name": "Anna",
            "last_name": "Svensson",
            "email": "anna.svensson@example.org",
            "phone": "070-123 45 67",
            "description": "Hål i gatan",
        },
    )
    assert created.status_code == 200
    from geocases.cases.models import Case
    from geocases.open311.models import Submission

    case = Case.objects.get()
    assert case.reporter_email == "anna.svensson@example.org"
    case_note_add(case=case, actor=staff_actor("agent"), text="Åtgärdas i veckan", public=True)
    token = Submission.objects.get().token

    outputs = [created]
    for fmt in ("json", "xml"):
        for path in (
            "requests",
            f"requests/{case.number}",
            "servicerequestupdates",
            f"tokens/{token}",
            "services",
            "services/pothole",
            "discovery",
        ):
            for query in ("", "?extensions=true"):
                response = client.get(f"/open311/v2/{path}.{fmt}{query}")
                assert response.status_code == 200, path
                outputs.append(response)

    for response in outputs:
        text = response.content.decode()
        for personal in PERSONAL:
            assert personal not in text, (response.request["PATH_INFO"], personal)


def test_no_open311_output_shows_free_text(client, pothole, raw_key):
    """What the citizen or staff wrote is for staff: the description, a title
    an agent typed, words to the citizen (README, "API")."""
    from geocases.cases.models import Case

    created = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw_key,
            "service_code": "pothole",
            "lat": "59.315",
            "long": "18.07",
            "attribute[size]": "small",
            "description": "Storgatan 5 lgh 1102, ring Rita",
        },
    )
    assert created.status_code == 200
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(title="Ritas port")
    case_note_add(
        case=case, actor=staff_actor("agent"), text="Vi tittar på det, Rita.", public=True
    )

    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{case.number}", "servicerequestupdates"):
            response = client.get(f"/open311/v2/{path}.{fmt}?extensions=true")
            assert response.status_code == 200, path
            text = response.content.decode()
            for free_text in ("Storgatan 5", "Ritas port", "Vi tittar på det"):
                assert free_text not in text, (path, fmt, free_text)
