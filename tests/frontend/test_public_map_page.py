import pytest

from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_the_map_page_offers_public_categories_and_the_filters(client):
    CategoryFactory(name_sv="Klotter", is_public=True)
    CategoryFactory(name_sv="Fakturafråga", is_public=False)
    page = client.get("/map/").content.decode()
    assert "Klotter" in page and "Fakturafråga" not in page
    assert 'id="filter-status"' in page and 'id="filter-period"' in page
    assert "frontend/js/public-map.js" in page
