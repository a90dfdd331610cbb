"""The district a case's place lies in, kept by the database."""

import pytest
from django.contrib.gis.geos import Point, Polygon

from geocases.cases.models import Case
from tests.factories import CategoryFactory, DistrictFactory, case_in_status, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    return (
        DistrictFactory(code="west", geometry=square(18.00, 59.30)),
        DistrictFactory(code="east", geometry=square(18.01, 59.30)),
    )


def test_a_place_gets_its_district_and_keeps_it_current(districts):
    west, east = districts
    case = case_in_status(
        "assigned", category=CategoryFactory(place_kind="any"), location=Point(18.005, 59.305)
    )
    assert Case.objects.get(pk=case.pk).district == west
    Case.objects.filter(pk=case.pk).update(location=Point(18.015, 59.305, srid=4326))
    assert Case.objects.get(pk=case.pk).district == east
    Case.objects.filter(pk=case.pk).update(location=None)
    assert Case.objects.get(pk=case.pk).district is None


def test_an_area_counts_where_a_point_on_it_lies(districts):
    _west, east = districts
    area = Polygon.from_bbox((18.012, 59.302, 18.018, 59.308))
    area.srid = 4326
    case = case_in_status("new", category=CategoryFactory(place_kind="any"), location=area)
    assert Case.objects.get(pk=case.pk).district == east


def test_no_place_or_outside_every_district_has_none(districts):
    nowhere = case_in_status("new", category=CategoryFactory(place_kind="none"))
    far = case_in_status(
        "new", category=CategoryFactory(place_kind="any"), location=Point(12.0, 57.7)
    )
    assert Case.objects.get(pk=nowhere.pk).district is None
    assert Case.objects.get(pk=far.pk).district is None


def test_redrawn_added_and_removed_districts_place_their_cases_again(districts):
    """The statistics per district follow a border moved in the administration
    or by an import, not only a case's own place changing."""
    from geocases.insights.models import StatChange

    west, east = districts
    snow = CategoryFactory(place_kind="any")
    near_border = case_in_status("assigned", category=snow, location=Point(18.0095, 59.305))
    far_west = case_in_status("assigned", category=snow, location=Point(18.002, 59.305))
    assert Case.objects.get(pk=near_border.pk).district == west

    StatChange.objects.all().delete()
    east.geometry = square(18.009, 59.30, 0.011)  # east now reaches over the case
    west.geometry = square(18.00, 59.30, 0.009)
    west.save()
    east.save()
    assert Case.objects.get(pk=near_border.pk).district == east
    assert Case.objects.get(pk=far_west.pk).district == west
    assert moved_per_district() == {east.pk: 1, west.pk: -1}  # net: one case moved east

    changes = StatChange.objects.count()
    west.name = "Väster"  # a name, not a border: nothing moves
    west.save()
    assert StatChange.objects.count() == changes

    east.delete()
    assert Case.objects.get(pk=near_border.pk).district is None
    north = DistrictFactory(code="north", geometry=square(17.99, 59.30, 0.03))
    assert Case.objects.get(pk=near_border.pk).district == north
    assert Case.objects.get(pk=far_west.pk).district == west  # the older district first


def moved_per_district() -> dict[int, int]:
    from django.db.models import Sum

    from geocases.insights.models import StatChange

    sums = StatChange.objects.values("district_id").annotate(n=Sum("cases"))
    return {row["district_id"]: row["n"] for row in sums if row["n"]}
