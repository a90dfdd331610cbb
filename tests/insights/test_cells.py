"""The map's cell counts equal a direct count of the cases (and the map's
JSON says the same), for random viewports, zooms and filters, while cases
are created, changed, closed and deleted — folded or not yet folded."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point, Polygon

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from geocases.categories.models import Category
from geocases.insights.grid import LEVELS, cell_x, cell_y, level_for_zoom
from geocases.insights.models import CellChange, CellCount, CellDimCount
from geocases.insights.selectors import CellFilter, cells_in_view, cells_in_view_json
from geocases.insights.services import cells_fold, cells_rebuild
from tests.factories import CategoryFactory, OrganisationUnitFactory

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
BOX = (17.95, 59.28, 18.15, 59.38)
STATUSES = ["new", "assigned", "acknowledged", "resolved", "closed"]
CHANNELS = ["web", "phone", "email", "api"]


def public_point(case: Case) -> tuple[float, float]:
    point = case.location.point_on_surface
    if case.category.concerns_home:  # as the public map coarsens it
        return round(point.x / 0.001) * 0.001, round(point.y / 0.001) * 0.001
    return point.x, point.y


def direct_count(bbox, zoom: int, where: CellFilter) -> dict[tuple[int, int], tuple]:
    """Count in Python, from the cases themselves."""
    level = level_for_zoom(zoom)
    west, south, east, north = bbox
    x0, x1 = cell_x(west, level), cell_x(east, level)
    y0, y1 = cell_y(north, level), cell_y(south, level)
    found: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0.0, 0.0])
    for case in Case.objects.filter(location__isnull=False).select_related("category"):
        month = case.created_at.astimezone(STOCKHOLM).date().replace(day=1)
        if where.first_month and month < where.first_month:
            continue
        if where.last_month and month > where.last_month:
            continue
        if where.categories and case.category_id not in where.categories:
            continue
        if where.statuses and case.status not in where.statuses:
            continue
        if where.units and (case.responsible_unit_id or 0) not in where.units:
            continue
        if where.channels and case.channel not in where.channels:
            continue
        lon, lat = public_point(case)
        cx, cy = cell_x(lon, level), cell_y(lat, level)
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            cell = found[(cx, cy)]
            cell[0] += 1
            cell[1] += lon
            cell[2] += lat
    return {key: (n, sx / n, sy / n) for key, (n, sx, sy) in found.items()}


def from_cells(bbox, zoom, where) -> dict[tuple[int, int], tuple]:
    return {
        (c.cx, c.cy): (c.count, c.lon, c.lat)
        for c in cells_in_view(bbox=bbox, zoom=zoom, where=where)
    }


def assert_same(got: dict, expected: dict, context, tolerance: float = 1e-9) -> None:
    assert got.keys() == expected.keys(), context
    for key, (n, lon, lat) in expected.items():
        assert got[key][0] == n, (context, key)
        assert got[key][1] == pytest.approx(lon, abs=tolerance), (context, key)
        assert got[key][2] == pytest.approx(lat, abs=tolerance), (context, key)


@pytest.fixture
def world():
    rng = random.Random(20261125)  # noqa: S311 - test data, not secrets
    units = [OrganisationUnitFactory() for _ in range(3)]
    categories = [
        CategoryFactory(place_kind="any", default_unit=units[0]),
        CategoryFactory(place_kind="any", default_unit=units[1]),
        CategoryFactory(place_kind="any", default_unit=units[2], concerns_home=True),
    ]
    CategoryFactory(place_kind="none")  # cases without a place are never on the map
    return rng, units, categories


def random_point(rng) -> Point:
    west, south, east, north = BOX
    return Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326)


def make_cases(rng, categories, count: int) -> list[Case]:
    made = []
    for _ in range(count):
        if rng.random() < 0.1:
            centre = random_point(rng)
            location = Polygon.from_bbox((centre.x, centre.y, centre.x + 0.002, centre.y + 0.001))
            location.srid = 4326
        else:
            location = random_point(rng)
        case = case_create(
            actor=SYSTEM,
            channel=rng.choice(CHANNELS),
            category=rng.choice(categories),
            location=location,
        )
        created = dt.datetime(2025, rng.randint(1, 12), 1, tzinfo=STOCKHOLM) + dt.timedelta(
            days=rng.randint(0, 27), hours=rng.choice([0, 1, 12, 23])
        )
        Case.objects.filter(pk=case.pk).update(created_at=created, status=rng.choice(STATUSES))
        made.append(case)
    return made


def bare_cases(rng, categories, count: int) -> list[Case]:
    """Cases without history (which is append-only), so that they can be deleted."""
    from geocases.cases.numbers import case_number_next

    now = dt.datetime(2025, 6, 1, tzinfo=STOCKHOLM)
    return [
        Case.objects.create(
            number=case_number_next(),
            channel="web",
            category=rng.choice(categories),
            title="Utan historik",
            location=random_point(rng),
            created_at=now,
            updated_at=now,
        )
        for _ in range(count)
    ]


def random_filter(rng, units, categories) -> CellFilter:
    def some(values):
        return rng.sample(values, rng.randint(1, len(values))) if rng.random() < 0.4 else []

    first = dt.date(2025, rng.randint(1, 12), 1) if rng.random() < 0.5 else None
    last = (
        dt.date(2025, rng.randint(first.month if first else 1, 12), 1)
        if rng.random() < 0.5
        else None
    )
    return CellFilter(
        first_month=first,
        last_month=last,
        categories=some([c.pk for c in categories]),
        statuses=some(STATUSES),
        units=some([u.pk for u in units] + [0]),
        channels=some(CHANNELS),
    )


def random_view(rng):
    west, south, east, north = BOX
    if rng.random() < 0.2:
        return (west - 0.1, south - 0.05, east + 0.1, north + 0.05), rng.randint(6, 11)
    width = rng.uniform(0.002, 0.15)
    height = width / 2
    x, y = rng.uniform(west, east - width), rng.uniform(south, north - height)
    return (x, y, x + width, y + height), rng.randint(10, 17)


def check_views(rng, units, categories, rounds: int = 60) -> None:
    for _ in range(rounds):
        bbox, zoom = random_view(rng)
        where = random_filter(rng, units, categories)
        cells = from_cells(bbox, zoom, where)
        assert_same(cells, direct_count(bbox, zoom, where), (bbox, zoom, where))
        assert_json_same(bbox, zoom, where, cells)


def assert_json_same(bbox, zoom, where, cells: dict) -> None:
    """The map's JSON, written by PostgreSQL, says what cells_in_view does."""
    level = level_for_zoom(zoom)
    total = sum(n for n, _lon, _lat in cells.values())
    clusters = json.loads(cells_in_view_json(bbox=bbox, zoom=zoom, where=where, shape="clusters"))
    assert (clusters["type"], clusters["level"], clusters["total"]) == (
        "FeatureCollection",
        level,
        total,
    )
    assert_same(
        {
            tuple(feature["properties"]["cell"]): (
                feature["properties"]["count"],
                *feature["geometry"]["coordinates"],
            )
            for feature in clusters["features"]
        },
        cells,
        (bbox, zoom, where),
        tolerance=1e-6,  # six decimals: a tenth of a metre
    )
    heat = json.loads(cells_in_view_json(bbox=bbox, zoom=zoom, where=where, shape="heat"))
    assert (heat["level"], heat["total"]) == (level, total)
    assert heat["max"] == max((n for n, _lon, _lat in cells.values()), default=0)
    expected = sorted((lat, lon, n) for n, lon, lat in cells.values())
    got = sorted(heat["points"])
    assert len(got) == len(expected)
    for point, (lat, lon, n) in zip(got, expected, strict=True):
        assert point == [pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6), n]


def test_counts_equal_a_direct_count_through_creation_change_closing_and_deletion(world):
    rng, units, categories = world
    cases = make_cases(rng, categories, 120)
    check_views(rng, units, categories)  # nothing folded yet: all pending
    assert cells_fold()
    assert not CellChange.objects.exists()
    check_views(rng, units, categories)

    for case in rng.sample(cases, 40):  # closed, moved, forwarded, re-categorised
        change = rng.choice(["close", "move", "unit", "category", "channel"])
        values = {
            "close": {"status": "closed"},
            "move": {"location": random_point(rng)},
            "unit": {"responsible_unit": rng.choice(units)},
            "category": {"category": rng.choice(categories)},
            "channel": {"channel": rng.choice(CHANNELS)},
        }[change]
        Case.objects.filter(pk=case.pk).update(**values)
    for bare in bare_cases(rng, categories, 5):  # cases are never deleted but by hand
        bare.delete()
    Case.objects.filter(pk=cases[10].pk).update(title="Ny rubrik")  # not counted: no change
    check_views(rng, units, categories)  # half folded, half pending
    cells_fold()
    check_views(rng, units, categories)
    more = make_cases(rng, categories, 30)
    Case.objects.filter(pk__in=[c.pk for c in more]).update(status="resolved")
    check_views(rng, units, categories)


def test_a_change_not_affecting_the_map_records_nothing(world):
    rng, _units, categories = world
    (case,) = make_cases(rng, categories, 1)
    cells_fold()
    Case.objects.filter(pk=case.pk).update(title="Annan rubrik", description="Mer text")
    assert not CellChange.objects.exists()


def test_emptied_cells_are_removed_and_every_level_is_kept(world):
    rng, _units, categories = world
    (case,) = bare_cases(rng, categories, 1)
    cells_fold()
    assert set(CellCount.objects.values_list("level", flat=True)) == set(LEVELS)
    assert CellDimCount.objects.count() == len(LEVELS)
    case.delete()
    cells_fold()
    assert not CellCount.objects.exists() and not CellDimCount.objects.exists()


def test_a_rebuild_counts_the_same_as_the_changes_did(world):
    rng, units, categories = world
    make_cases(rng, categories, 60)
    cells_fold()
    before = sorted(CellDimCount.objects.values_list("level", "cx", "cy", "month", "status", "n"))
    cells_rebuild()
    after = sorted(CellDimCount.objects.values_list("level", "cx", "cy", "month", "status", "n"))
    assert after == before
    check_views(rng, units, categories, rounds=20)


def test_home_related_cases_are_counted_at_their_coarse_position(world):
    _rng, _units, categories = world
    home = categories[2]
    case_create(actor=SYSTEM, channel="web", category=home, location=Point(18.0712345, 59.3298765))
    cells_fold()
    (cell,) = cells_in_view(bbox=BOX, zoom=17, where=CellFilter())
    assert (cell.lon, cell.lat) == (pytest.approx(18.071), pytest.approx(59.330))


def test_a_category_that_comes_to_concern_homes_moves_its_cases_on_the_map(world):
    rng, units, categories = world
    cases = make_cases(rng, categories, 80)
    cells_fold()
    exact, home = categories[0], categories[2]
    exact.concerns_home, home.concerns_home = True, False
    exact.save()  # as the administration saves it
    home.save()
    check_views(rng, units, categories, rounds=30)  # the moves pending
    cells_fold()
    check_views(rng, units, categories, rounds=30)
    # What happens to their cases later is taken from where they are counted now.
    for case in cases:
        if case.category_id in (exact.pk, home.pk):
            Case.objects.filter(pk=case.pk).update(status="closed")
    cells_fold()
    check_views(rng, units, categories, rounds=30)


def test_a_category_edit_that_moves_nothing_records_nothing(world):
    rng, _units, categories = world
    make_cases(rng, categories, 5)
    cells_fold()
    Category.objects.filter(pk=categories[0].pk).update(name_sv="Nytt namn", is_public=False)
    assert not CellChange.objects.exists()
