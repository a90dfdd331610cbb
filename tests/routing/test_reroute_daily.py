"""Validity periods and seasons of service areas take effect on their dates:
the daily re-routing moves open cases without anyone editing an area."""

import datetime as dt

import pytest
from django.utils import timezone

from geocases.areas.models import ServiceArea
from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create
from geocases.routing.models import RerouteRun
from geocases.routing.tasks import reroute_daily_task
from tests.factories import CategoryFactory, OrganisationUnitFactory, ServiceAreaFactory, square
from tests.routing.test_case_routing import WEST_POINT

pytestmark = pytest.mark.django_db


@pytest.fixture
def snow():
    return CategoryFactory(
        code="snow", place_kind="any", default_unit=OrganisationUnitFactory(code="city-roads")
    )


def test_a_case_leaves_an_area_whose_valid_to_has_passed_when_the_job_runs(snow):
    west = ServiceAreaFactory(code="west", geometry=square(18.00, 59.30, 0.05), categories=[snow])
    case = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    assert case.responsible_unit == west.unit
    # The contract ended yesterday; nothing was saved in the admin since.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ServiceArea.objects.filter(pk=west.pk).update(valid_to=yesterday)
    assert not RerouteRun.objects.exists()

    reroute_daily_task()

    case.refresh_from_db()
    assert case.responsible_unit.code == "city-roads"
    assert case.routing_area is None
    run = RerouteRun.objects.get()
    assert (run.status, run.changed) == ("done", 1)


def test_a_season_that_began_today_takes_its_cases(snow):
    today = timezone.localdate()
    winter = ServiceAreaFactory(
        code="winter",
        geometry=square(18.00, 59.30, 0.05),
        categories=[snow],
        season_start=(today + dt.timedelta(days=1)).strftime("%m-%d"),
        season_end=(today + dt.timedelta(days=60)).strftime("%m-%d"),
    )
    case = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    assert case.responsible_unit.code == "city-roads"  # not yet in season
    ServiceArea.objects.filter(pk=winter.pk).update(season_start=today.strftime("%m-%d"))

    reroute_daily_task()

    case.refresh_from_db()
    assert case.responsible_unit == winter.unit
