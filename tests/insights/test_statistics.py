"""Planners' statistics: each measure, grouped by each dimension, equals a
count made by hand; filters narrow them; one scan answers all groupings."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
import time_machine
from django.contrib.gis.geos import Point

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.numbers import case_number_next
from geocases.cases.services import case_create
from geocases.insights.models import StatChange, StatMonth
from geocases.insights.services import cells_fold
from geocases.insights.statistics import StatsFilter, case_statistics, durations_forget
from tests.clock import H, at
from tests.factories import CategoryFactory, DistrictFactory, OrganisationUnitFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    north = DistrictFactory(code="north", geometry=square(18.0, 59.35))
    south = DistrictFactory(code="south", geometry=square(18.0, 59.30))
    snow_co, parks_co = (
        OrganisationUnitFactory(code="snow-co"),
        OrganisationUnitFactory(code="parks-co"),
    )
    snow = CategoryFactory(code="snow", place_kind="any", default_unit=snow_co)
    parks = CategoryFactory(code="parks", place_kind="any", default_unit=parks_co)
    # (category, channel, where, created, acknowledged after, resolved after, first contact, status)
    plan = [
        (snow, "web", (18.005, 59.355), "2026-01-10 09:00", 1, 10, False, "closed"),
        (snow, "web", (18.005, 59.305), "2026-01-12 10:00", 3, 30, False, "closed"),
        (snow, "phone", (18.005, 59.305), "2026-01-20 11:00", 0.1, 0.1, True, "closed"),
        (snow, "phone", None, "2026-02-02 08:30", None, None, False, "assigned"),
        (parks, "web", (18.005, 59.355), "2026-02-14 13:00", 2, None, False, "acknowledged"),
        (parks, "email", (18.005, 59.355), "2026-03-01 09:00", 20, 200, False, "resolved"),
        (parks, "web", (18.005, 59.355), "2025-12-31 23:30", 1, 5, False, "closed"),  # 2025
    ]
    made = []
    for category, channel, where, created, ack, resolved, first_contact, status in plan:
        case = case_create(
            actor=SYSTEM,
            channel=channel,
            category=category,
            location=Point(*where, srid=4326) if where else None,
        )
        start = at(created)
        Case.objects.filter(pk=case.pk).update(
            created_at=start,
            status=status,
            resolved_at_first_contact=first_contact,
            acknowledge_by=start + 2 * H,
            resolve_by=start + 24 * H,
            feedback_by=None,
            acknowledged_at=start + ack * H if ack is not None else None,
            resolved_at=start + resolved * H if resolved is not None else None,
        )
        made.append(Case.objects.get(pk=case.pk))
    return made, {"north": north, "south": south, "snow": snow, "parks": parks}


def rows(result, name):
    return {row.key: row for row in result[name]}


def test_the_total_for_2026(cases):
    _made, _ = cases
    result = case_statistics(
        where=StatsFilter(start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1)), by=[]
    )
    (total,) = result["total"]
    assert total.cases == 6  # the case of New Year's Eve 2025 is left out (local time)
    assert total.still_open == 2  # assigned and acknowledged
    assert total.first_contact == 1
    # Deadlines, first contact left out: acknowledge within 2 h met by 1 h and
    # 2 h, missed by 3 h and 20 h; the assigned one is past due and unmet.
    assert (total.acknowledge_met, total.acknowledge_due) == (2, 5)
    assert (total.resolve_met, total.resolve_due) == (1, 5)  # 10 h met; 30 h, 200 h missed
    assert total.hours("resolve", 0) == pytest.approx(statistics.median([10, 30, 200]))
    assert total.hours("acknowledge", 0) == pytest.approx(statistics.median([1, 3, 2, 20]))
    assert total.hours("resolve", 1) == pytest.approx(
        statistics.quantiles([10, 30, 200], n=10, method="inclusive")[-1]
    )


def test_grouped_by_each_dimension_at_once(cases):
    _made, named = cases
    result = case_statistics(
        where=StatsFilter(start=dt.date(2026, 1, 1)),
        by=["month", "category", "channel", "district", "unit", "status", "weekday"],
        durations_by="category",
    )
    assert {k: r.cases for k, r in rows(result, "month").items()} == {
        dt.date(2026, 1, 1): 3,
        dt.date(2026, 2, 1): 2,
        dt.date(2026, 3, 1): 1,
    }
    by_category = rows(result, "category")
    assert by_category[named["snow"].pk].cases == 4 and by_category[named["parks"].pk].cases == 2
    # Of its two calls one was solved at first contact (its web reports never could be).
    assert by_category[named["snow"].pk].share("first_contact") == 0.5
    # Snow, first contact left out: resolved after 10 h and 30 h.
    assert by_category[named["snow"].pk].hours("resolve", 0) == pytest.approx(20)
    assert by_category[named["parks"].pk].hours("acknowledge", 0) == pytest.approx(11)
    assert rows(result, "channel")["web"].hours("resolve", 0) is None  # not asked for
    assert {k: r.cases for k, r in rows(result, "channel").items()} == {
        "web": 3,
        "phone": 2,
        "email": 1,
    }
    assert {k: r.cases for k, r in rows(result, "district").items()} == {
        named["north"].pk: 3,
        named["south"].pk: 2,
        None: 1,
    }
    assert sum(r.cases for r in result["unit"]) == 6
    assert rows(result, "weekday")[6].cases == 2  # Saturdays 10 January and 14 February
    assert result["total"][0].cases == 6


def test_filters_narrow_every_grouping(cases):
    _made, named = cases
    result = case_statistics(
        where=StatsFilter(categories=[named["parks"].pk], channels=["web"]), by=["month"]
    )
    assert result["total"][0].cases == 2
    assert {k: r.cases for k, r in rows(result, "month").items()} == {
        dt.date(2025, 12, 1): 1,
        dt.date(2026, 2, 1): 1,
    }
    only_north = case_statistics(where=StatsFilter(districts=[named["north"].pk]), by=[])
    assert only_north["total"][0].cases == 4
    open_ones = case_statistics(where=StatsFilter(statuses=["assigned", "acknowledged"]), by=[])
    assert open_ones["total"][0].cases == 2


def test_an_unknown_dimension_is_refused(cases):
    with pytest.raises(ValueError, match="unknown dimensions"):
        case_statistics(where=StatsFilter(), by=["reporter_email"])


def test_no_cases_gives_zeros_not_errors():
    (total,) = case_statistics(where=StatsFilter(), by=["month"])["total"]
    assert total.cases == 0 and total.share("first_contact") is None
    assert total.hours("resolve", 0) is None


def counts(result) -> dict:
    """Every count of a result, by dimension and key."""
    return {
        (name, row.key): (
            row.cases,
            row.still_open,
            row.answered,
            row.first_contact,
            row.acknowledge_due,
            row.acknowledge_met,
            row.feedback_due,
            row.feedback_met,
            row.resolve_due,
            row.resolve_met,
        )
        for name, rows_ in result.items()
        for row in rows_
    }


def same_as_live(where: StatsFilter, by: list[str]) -> None:
    rolled = case_statistics(where=where, by=by)
    live = case_statistics(where=where, by=by, live=True)
    assert counts(rolled) == counts(live)


WHERES = [
    lambda named: StatsFilter(),
    lambda named: StatsFilter(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1)),
    lambda named: StatsFilter(categories=[named["snow"].pk], channels=["web", "phone"]),
    lambda named: StatsFilter(districts=[named["north"].pk], statuses=["closed", "assigned"]),
    lambda named: StatsFilter(start=dt.date(2026, 1, 15)),  # not a whole month: counted live
]
BY = [[], ["month"], ["year", "category", "channel", "district", "unit", "status"], ["week"]]


def test_the_months_counted_equal_a_count_of_the_cases_through_changes(cases):
    """Counted from StatMonth, with changes not yet folded and deadlines
    still pending read live: always what counting the cases says."""
    made, named = cases

    def check():
        for where in WHERES:
            for by in BY:
                same_as_live(where(named), by)

    check()  # nothing folded yet
    cells_fold()
    check()
    # A case acknowledged, one resolved in time, one moved to another
    # category and channel, two made and one deleted: not yet folded.
    Case.objects.filter(pk=made[3].pk).update(acknowledged_at=made[3].created_at + H)
    Case.objects.filter(pk=made[4].pk).update(status="resolved", resolved_at=made[4].created_at + H)
    Case.objects.filter(pk=made[5].pk).update(category=named["snow"], channel="phone")
    case_create(actor=SYSTEM, channel="web", category=named["parks"], location=None)
    bare = Case.objects.create(  # without history (append-only), so that it can be deleted
        number=case_number_next(),
        channel="email",
        category=named["snow"],
        created_at=at("2026-01-05 10:00"),
        updated_at=at("2026-01-05 10:00"),
    )
    check()
    cells_fold()
    bare.delete()
    check()
    cells_fold()
    check()
    assert not StatChange.objects.exists()
    assert StatMonth.objects.filter(cases__gt=0).exists()


def test_a_deadline_missed_later_counts_without_a_change(cases):
    """Whether a pending deadline is missed depends on the clock alone."""
    made, _named = cases
    cells_fold()
    assigned = made[3]  # registered 2026-02-02 08:30, acknowledge within 2 h, not acknowledged
    where = StatsFilter(start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 1))
    with time_machine.travel(assigned.created_at + H, tick=False):
        before = case_statistics(where=where, by=[])["total"][0].acknowledge_due
    with time_machine.travel(assigned.created_at + 3 * H, tick=False):
        after = case_statistics(where=where, by=[])["total"][0].acknowledge_due
    assert after == before + 1


@pytest.fixture
def kept_durations(settings):
    """Durations kept for ten minutes, with nothing kept from other runs."""
    from django.core.cache import cache

    settings.GEOCASES_STATISTICS_DURATIONS_SECONDS = 600
    redis = cache._cache.get_client(write=True)

    def forget():
        for key in redis.scan_iter(match=cache.make_key("insights:durations:*")):
            redis.delete(key)

    forget()
    yield
    forget()


def test_durations_are_kept_for_a_while_and_counts_stay_live(cases, kept_durations):
    made, _ = cases
    where = StatsFilter(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1))
    first = case_statistics(where=where, by=["category"], durations_by="category")
    # A case resolved much later than the others: a live count, kept durations.
    Case.objects.filter(pk=made[3].pk).update(
        status="resolved", resolved_at=made[3].created_at + 500 * H
    )
    cells_fold()

    again = case_statistics(where=where, by=["category"], durations_by="category")
    live = case_statistics(where=where, by=["category"], durations_by="category", live=True)

    assert again["total"][0].resolve_seconds == first["total"][0].resolve_seconds
    assert again["total"][0].still_open == first["total"][0].still_open - 1  # counts are live
    assert live["total"][0].resolve_seconds != first["total"][0].resolve_seconds
    # Another filter is another computation.
    other = StatsFilter(start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 1))
    assert case_statistics(where=other, by=["category"], durations_by="category")["total"][0]


def test_forgetting_kept_durations_computes_them_afresh(cases, kept_durations):
    """After a bulk load (cases_seed, insights_rebuild) the kept medians are
    forgotten at once, not after STATISTICS_DURATIONS_SECONDS."""
    made, _ = cases
    where = StatsFilter(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1))
    first = case_statistics(where=where, by=["category"], durations_by="category")
    Case.objects.filter(pk=made[3].pk).update(
        status="resolved", resolved_at=made[3].created_at + 500 * H
    )
    kept = case_statistics(where=where, by=["category"], durations_by="category")
    assert kept["total"][0].resolve_seconds == first["total"][0].resolve_seconds

    durations_forget()

    fresh = case_statistics(where=where, by=["category"], durations_by="category")
    live = case_statistics(where=where, by=["category"], durations_by="category", live=True)
    assert fresh["total"][0].resolve_seconds == live["total"][0].resolve_seconds
    assert fresh["total"][0].resolve_seconds != first["total"][0].resolve_seconds


def test_the_dashboard_year_is_warmed_for_each_charted_grouping(kept_durations, monkeypatch):
    from geocases.insights import statistics as module
    from geocases.insights.tasks import WARM_GROUPINGS, statistics_warm_task

    statistics_warm_task()
    ran = []
    real = module._run_side_by_side
    monkeypatch.setattr(module, "_run_side_by_side", lambda q: ran.extend(q) or real(q))
    for name in WARM_GROUPINGS:
        case_statistics(where=module.statistics_year(), by=[name], durations_by=name)
    assert ran and not any("percentile_cont" in sql for sql, _params in ran)


def test_without_redis_durations_are_computed_each_time(cases, settings, closed_port):
    settings.GEOCASES_STATISTICS_DURATIONS_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "geocases.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    where = StatsFilter(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1))
    result = case_statistics(where=where, by=["category"], durations_by="category")
    assert result["total"][0].resolve_seconds is not None


def test_grouped_rows_come_largest_first_and_time_in_its_order(cases):
    _made, named = cases
    result = case_statistics(
        where=StatsFilter(start=dt.date(2026, 1, 1)),
        by=["month", "category", "channel", "district", "status", "weekday"],
    )
    keys = {name: [row.key for row in rows_] for name, rows_ in result.items()}
    assert keys["month"] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert keys["weekday"] == sorted(keys["weekday"])
    assert keys["category"] == [named["snow"].pk, named["parks"].pk]  # 4, 2
    assert keys["channel"] == ["web", "phone", "email"]  # 3, 2, 1
    assert keys["district"] == [named["north"].pk, named["south"].pk, None]  # no district last
    assert keys["status"][0] == "closed"  # 3; then one each, by name


def test_groups_of_as_many_cases_come_by_name_in_the_readers_language(cases):
    from django.utils import translation

    # Made in this order, so that their ids are not in the order of their names.
    kista = DistrictFactory(code="kista", name="Kista", geometry=square(18.2, 59.40))
    akalla = DistrictFactory(code="akalla", name="Akalla", geometry=square(18.2, 59.42))
    snow = CategoryFactory(code="snow-2", name_sv="Ö snö", name_en="A snow", place_kind="any")
    parks = CategoryFactory(code="parks-2", name_sv="Parker", name_en="Parks", place_kind="any")
    for category, lat in ((snow, 59.405), (parks, 59.425)):
        case_create(
            actor=SYSTEM, channel="web", category=category, location=Point(18.205, lat, srid=4326)
        )
    where = StatsFilter(districts=[kista.pk, akalla.pk])
    result = case_statistics(where=where, by=["district", "category"])
    assert [row.key for row in result["district"]] == [akalla.pk, kista.pk]
    assert [row.key for row in result["category"]] == [snow.pk, parks.pk]  # "A snow", "Parks"
    with translation.override("sv"):
        result = case_statistics(where=where, by=["category"])
    assert [row.key for row in result["category"]] == [parks.pk, snow.pk]  # "Parker", "Ö snö"


def test_first_contact_is_a_share_of_the_calls_and_visits_an_agent_answers(cases):
    """Web, e-mail and API reports go to the unit at once, without an agent:
    they are not first contacts missed, so they are not counted in."""
    made, _named = cases
    email = made[5]  # even one marked as solved at once is no agent-answered contact
    Case.objects.filter(pk=email.pk).update(resolved_at_first_contact=True, status="closed")
    cells_fold()
    for live in (False, True):
        result = case_statistics(
            where=StatsFilter(start=dt.date(2026, 1, 1)), by=["channel"], live=live
        )
        (total,) = result["total"]
        # Two calls, one solved during it; three web reports and an e-mail left out.
        assert (total.first_contact, total.answered, total.share("first_contact")) == (1, 2, 0.5)
        assert rows(result, "channel")["phone"].share("first_contact") == 0.5
        assert rows(result, "channel")["web"].share("first_contact") is None
