"""The look-up parts of a service area follow the area, whatever changes it."""

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from geocases.areas.models import ServiceAreaPart
from tests.factories import CategoryFactory, ContractorFactory, ServiceAreaFactory, square

pytestmark = pytest.mark.django_db


def parts_of(area):
    return list(ServiceAreaPart.objects.filter(area=area))


def test_parts_carry_the_area_routing_attributes():
    snow, bins = CategoryFactory(), CategoryFactory()
    area = ServiceAreaFactory(
        categories=[snow, bins],
        valid_from=dt.date(2026, 10, 15),
        valid_to=dt.date(2028, 4, 15),
        season_start="10-15",
        season_end="04-15",
        priority=3,
    )
    area.refresh_from_db()
    (part,) = parts_of(area)
    assert part.unit_id == area.unit_id
    assert sorted(part.category_ids) == sorted([snow.pk, bins.pk])
    assert (part.valid_from, part.valid_to) == (dt.date(2026, 10, 15), dt.date(2028, 4, 15))
    assert (part.season_start, part.season_end, part.priority) == ("10-15", "04-15", 3)
    assert part.size_m2 == pytest.approx(area.size_m2) and area.size_m2 > 0


def test_parts_follow_changes_of_unit_period_priority_and_categories():
    snow, bins = CategoryFactory(), CategoryFactory()
    area = ServiceAreaFactory(categories=[snow])
    new_contractor = ContractorFactory()

    area.unit = new_contractor
    area.valid_to = dt.date(2027, 1, 1)
    area.priority = 7
    area.save()
    area.categories.add(bins)
    area.categories.remove(snow)

    (part,) = parts_of(area)
    assert part.unit_id == new_contractor.pk
    assert part.valid_to == dt.date(2027, 1, 1) and part.priority == 7
    assert part.category_ids == [bins.pk]

    area.categories.clear()
    assert parts_of(area)[0].category_ids == []


def test_a_complex_area_is_cut_into_small_parts_that_move_with_its_geometry():
    # A ring of 400 vertices becomes several parts of at most 64 vertices.
    import math

    ring = [
        (
            18.0 + 0.05 * math.cos(2 * math.pi * k / 400),
            59.3 + 0.03 * math.sin(2 * math.pi * k / 400),
        )
        for k in range(400)
    ]
    area = ServiceAreaFactory(geometry=MultiPolygon(Polygon([*ring, ring[0]]), srid=4326))
    parts = parts_of(area)
    assert len(parts) > 4
    assert all(part.geometry.num_coords <= 64 for part in parts)

    area.geometry = square(17.5, 59.0, 0.01)
    area.save()
    (part,) = parts_of(area)
    assert part.geometry.extent == pytest.approx((17.5, 59.0, 17.51, 59.01))

    area.delete()
    assert not ServiceAreaPart.objects.filter(area_id=area.pk).exists()
