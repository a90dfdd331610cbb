import io

import pytest
from django.contrib.gis.geos import Point

from geocases.cases.actors import CITIZEN
from geocases.cases.services import case_attachment_add
from tests.cases.test_case_attachment_add import jpeg_with_gps
from tests.factories import case_in_status

pytestmark = pytest.mark.django_db


def test_case_page_shows_map_widget_history_and_photos(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_in_status("new", location=Point(18.07, 59.33, srid=4326))
    case_attachment_add(case=case, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()))

    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert 'id="id_location-map"' in page or "id_location" in page
    assert "leaflet" in page.lower()
    assert "city-backdrop.js" in page
    assert case.number in page
    assert "created" in page and "attachment" in page
    assert "-thumb.jpg" in page


def test_case_list_and_every_geometry_admin_render(admin_client):
    case_in_status("new")
    for url in [
        "/admin/cases/case/",
        "/admin/areas/district/add/",
        "/admin/areas/servicearea/add/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "leaflet" in admin_client.get("/admin/areas/servicearea/add/").content.decode().lower()


def test_editing_in_admin_goes_through_the_service_and_is_in_the_history(admin_client):
    case = case_in_status("new", title="Halt")
    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "title": "Mycket halt",
            "extra": "{}",
            "location": "",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 1,
            "events-INITIAL_FORMS": 1,
        }
    )
    response = admin_client.post(f"/admin/cases/case/{case.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = case.events.get(kind="field")
    assert (event.field, event.old_value, event.new_value) == ("title", "Halt", "Mycket halt")


def test_cases_cannot_be_added_or_deleted_in_admin(admin_client):
    case = case_in_status("new")
    assert admin_client.get("/admin/cases/case/add/").status_code == 403
    assert admin_client.get(f"/admin/cases/case/{case.pk}/delete/").status_code == 403


def test_case_page_says_why_the_unit_is_responsible(admin_client):
    case = case_in_status("new", location=Point(18.07, 59.33, srid=4326))
    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "varför denna enhet" in page.lower()  # Swedish, the default language
    assert "inget ansvarsområde täcker platsen" in page
