"""The service-area import page of the admin: the same import core as the command."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geocases.areas.models import ServiceArea
from geocases.routing.models import RerouteRun
from tests.areas.test_service_areas_import import feature, lon_lat_square
from tests.factories import CategoryFactory, ContractorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="administrator", is_staff=True, is_superuser=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the Swedish page is checked below
    ContractorFactory(code="plowco")
    CategoryFactory(code="snow")
    CategoryFactory(code="litter")
    return client


def upload(features, name="areas.geojson"):
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def test_the_list_links_to_the_import_page(admin_client):
    page = admin_client.get("/admin/areas/servicearea/").content.decode()
    assert "/admin/areas/servicearea/import/" in page
    assert admin_client.get("/admin/areas/servicearea/import/").status_code == 200


def test_the_import_page_speaks_swedish_by_default(admin_client):
    page = admin_client.get("/admin/areas/servicearea/import/", HTTP_ACCEPT_LANGUAGE="sv")
    assert "Importera ansvarsområden" in page.content.decode()
    assert "Kontrollera bara, spara inget" in page.content.decode()


def test_uploading_a_file_imports_it_and_shows_the_report(admin_client):
    file = upload([feature("north", lon_lat_square(18.0, 59.34))])

    response = admin_client.post(
        "/admin/areas/servicearea/import/", {"file": file, "layer": "0", "repair": "on"}
    )

    page = response.content.decode()
    assert "Created 1, updated 0, deleted 0 service areas." in page
    assert ServiceArea.objects.get().code == "north"
    assert RerouteRun.objects.get().requested_by.role == "administrator"


def test_an_upload_with_errors_shows_every_problem_and_saves_nothing(admin_client):
    file = upload(
        [
            feature("north", lon_lat_square(18.0, 59.34)),
            feature("south", lon_lat_square(18.0, 59.24), unit="nobody"),
        ]
    )

    page = admin_client.post(
        "/admin/areas/servicearea/import/", {"file": file, "layer": "0"}
    ).content.decode()

    assert "Nothing was imported" in page
    assert "feature 2 (south): no organisation unit has the code “nobody”" in page
    assert not ServiceArea.objects.exists()


def test_an_unreadable_or_wrong_kind_of_file_is_refused_at_the_form(admin_client):
    wrong_kind = SimpleUploadedFile("areas.vrt", b"<OGRVRTDataSource/>")
    page = admin_client.post(
        "/admin/areas/servicearea/import/", {"file": wrong_kind, "layer": "0"}
    ).content.decode()
    assert "Send one of these kinds of file" in page

    garbage = SimpleUploadedFile("areas.geojson", b"not json at all")
    page = admin_client.post(
        "/admin/areas/servicearea/import/", {"file": garbage, "layer": "0"}
    ).content.decode()
    assert "cannot be read as geographic data" in page
    assert not ServiceArea.objects.exists()


def test_staff_without_admin_rights_cannot_import(client):
    client.force_login(UserFactory(role="agent", is_staff=False))
    response = client.get("/admin/areas/servicearea/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
