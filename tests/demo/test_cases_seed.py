"""Seeded cases: spread over the city's land, seasonal, routed, with
lifecycles, deadlines, history and map counts — ordinary cases in every way."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F, Q

from geocases.areas.models import District
from geocases.cases.models import Case, CaseEvent
from geocases.cases.numbers import case_number_next
from geocases.deadlines.calendar import working_calendar
from geocases.demo.seeding import cases_seed
from geocases.demo.services import demo_city_load
from geocases.insights.grid import CellRange
from geocases.insights.selectors import CellFilter, cells_in_view

COUNT = 3000


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo city and 3000 seeded cases, once for the module; rolled back after."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            demo_city_load()
            report = cases_seed(count=COUNT, years=2, seed=11)
            yield report
            transaction.set_rollback(True)
        # Closed here: left open, this session outlived the run's own
        # clean-up and kept the test database from being dropped.
        connection.close()


def seeded_cases():
    return Case.objects.filter(routing__seeded=True)


def test_the_count_and_report(seeded):
    assert seeded.created == COUNT == seeded_cases().count()
    assert sum(seeded.by_status.values()) == COUNT
    assert seeded.events == CaseEvent.objects.filter(case__in=seeded_cases()).count()


def test_numbers_are_unique_per_year_and_the_counters_move_on(seeded):
    numbers = list(seeded_cases().values_list("number", "created_at"))
    assert len({n for n, _ in numbers}) == COUNT
    assert all(n.startswith(str(at.astimezone(working_calendar().zone).year)) for n, at in numbers)
    this_year = dt.date.today().year
    latest = seeded_cases().filter(number__startswith=f"{this_year}-").order_by("-number").first()
    assert case_number_next(year=this_year) > latest.number


def test_places_lie_in_districts_and_cases_without_a_place_have_none(seeded):
    placed = seeded_cases().filter(location__isnull=False)
    assert placed.count() > COUNT * 0.5
    assert not placed.filter(district__isnull=True).exists()
    assert not seeded_cases().filter(location__isnull=True, category__place_kind="any").exists()
    centre = District.objects.get(name="Norrmalm")
    far = District.objects.get(name="Skarpnäcks gård")
    assert placed.filter(district=centre).count() > 3 * placed.filter(district=far).count()


def test_snow_falls_in_winter(seeded):
    snow = seeded_cases().filter(category__code="snow-ice")
    winter = snow.filter(Q(created_at__month__gte=10) | Q(created_at__month__lte=4))
    assert snow.count() > 100 and winter.count() / snow.count() > 0.95


def test_winter_cases_in_a_contract_area_go_to_its_contractor(seeded):
    in_season = seeded_cases().filter(
        category__code="snow-ice", routing_area__code__startswith="winter-"
    )
    assert in_season.exists()
    assert all(
        case.responsible_unit_id == case.routing_area.unit_id
        for case in in_season.select_related("routing_area")
    )


def test_lifecycles_are_consistent(seeded):
    cases = seeded_cases()
    assert not cases.filter(status="closed", closed_at__isnull=True).exists()
    assert not cases.filter(resolved_at__lt=F("acknowledged_at")).exists()
    first_contact = cases.filter(resolved_at_first_contact=True)
    assert first_contact.exists()
    assert set(first_contact.values_list("channel", flat=True)) <= {"phone", "visit"}
    share = first_contact.count() / cases.filter(channel__in=["phone", "visit"]).count()
    assert 0.3 < share < 0.7
    assert cases.filter(status__in=["assigned", "acknowledged", "feedback_given"]).exists()
    assert not cases.filter(status="parked", parked_until__isnull=True).exists()


def test_deadlines_follow_the_working_calendar(seeded):
    calendar = working_calendar()
    for case in (
        seeded_cases()
        .filter(resolved_at_first_contact=False)
        .select_related("category", "routing_area")[:200]
    ):
        target = (case.routing_area and case.routing_area.resolve_within) or (
            case.category.resolve_within
        )
        assert case.resolve_by == calendar.add(case.created_at, target)


def test_each_case_has_a_history_ending_in_its_status(seeded):
    for case in seeded_cases().order_by("?")[:300]:
        history = list(case.events.order_by("at", "id"))
        assert history[0].kind == "created"
        statuses = [e.new_value for e in history if e.kind == "status"]
        assert statuses and statuses[-1] == case.status


def test_the_map_counts_them(seeded):
    cells = cells_in_view(bbox=(17.7, 59.1, 18.4, 59.5), zoom=9, where=CellFilter())
    placed = Case.objects.filter(location__isnull=False).count()
    assert sum(cell.count for cell in cells) == placed
    assert CellRange.covering((17.7, 59.1, 18.4, 59.5), 10).count < 50


def test_the_command_refuses_what_it_cannot_do(db):
    with pytest.raises(CommandError, match="at least one"):
        call_command("cases_seed", 0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="demo city"):
        call_command("cases_seed", 10, stdout=io.StringIO())
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_month_under_way_holds_only_the_cases_of_its_days_so_far():
    """On the 7th, this month has had a quarter of its days: its cases are
    about a quarter of the same month's a year before, not a whole month's
    crowded into a week."""
    zone = working_calendar().zone
    with time_machine.travel(dt.datetime(2026, 3, 7, 12, tzinfo=zone)):
        demo_city_load()
        cases_seed(count=6000, years=2, seed=5)
        seeded = seeded_cases().filter(category__code="pothole")  # the same all year
        this = seeded.filter(created_at__gte=dt.datetime(2026, 3, 1, tzinfo=zone)).count()
        year_before = seeded.filter(
            created_at__gte=dt.datetime(2025, 3, 1, tzinfo=zone),
            created_at__lt=dt.datetime(2025, 4, 1, tzinfo=zone),
        ).count()
    assert year_before > 50
    assert 0.05 * year_before < this < 0.45 * year_before
