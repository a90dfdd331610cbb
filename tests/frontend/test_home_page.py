import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_swedish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()
    assert "Felanmälan i staden" in response.content.decode()


def test_home_page_follows_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Report a problem in the city" in response.content.decode()


def test_language_switch_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Report a problem in the city" in client.get("/").content.decode()


def test_map_assets_are_served_locally(client):
    page = client.get("/").content.decode()
    assert "/static/leaflet/leaflet.js" in page
    assert "frontend/js/city-backdrop.js" in page
    assert "//tile.openstreetmap.org" not in page
    assert "https://" not in page.split("<footer")[0]


def test_data_attribution_is_shown(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "© OpenStreetMap contributors" in page
