"""A service area's validity period and season in the administration: what
cannot be is refused in words, on the page, and nothing changes."""

import datetime as dt

import pytest

from geocases.routing.models import RerouteRun
from tests.admin.test_area_geometry_admin import form_data
from tests.factories import CategoryFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return ServiceAreaFactory(code="park", categories=[CategoryFactory()])


def post_changed(admin_client_en, area, **changes):
    url = f"/admin/areas/servicearea/{area.pk}/change/"
    data = form_data(admin_client_en.get(url))
    data.update(changes)
    return admin_client_en.post(url, data)


def refused(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    assert not RerouteRun.objects.exists()
    return dict(response.context["adminform"].form.errors)


def test_a_period_ending_before_it_starts_is_refused_in_words(admin_client_en, area):
    response = post_changed(admin_client_en, area, valid_from="2026-05-01", valid_to="2026-04-30")

    errors = refused(response)
    [message] = errors["__all__"]
    assert message.startswith("The area's validity ends before it starts")
    assert "service_area_period_ordered" not in message
    area.refresh_from_db()
    assert area.valid_from == dt.date(2025, 1, 1)


def test_a_season_with_a_start_and_no_end_is_refused_in_words(admin_client_en, area):
    errors = refused(post_changed(admin_client_en, area, season_start="10-15", season_end=""))

    [message] = errors["__all__"]
    assert message.startswith("A season needs both its start and its end")
    area.refresh_from_db()
    assert area.season_start == ""


@pytest.mark.parametrize("day", ["02-30", "04-31", "11-31"])
def test_a_season_day_the_month_does_not_have_is_refused(admin_client_en, area, day):
    errors = refused(post_changed(admin_client_en, area, season_start=day, season_end="04-15"))

    assert errors["season_start"] == [f"{day} is not a day of the year: the month has fewer days."]
    area.refresh_from_db()
    assert area.season_start == ""


def test_the_29th_of_february_is_a_season_day(admin_client_en, area):
    response = post_changed(admin_client_en, area, season_start="11-01", season_end="02-29")

    assert response.status_code == 302
    area.refresh_from_db()
    assert area.season_end == "02-29"
