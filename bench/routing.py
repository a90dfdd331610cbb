"""Routing benchmark (issue 4): what routing costs a case's creation, and how
long re-routing a million open cases takes, each beside the bare SQL of the
same spatial join, measured in the same run on the same data.

    make bench-routing                      # 200 areas x 200 vertices, 1,000,000 cases
    make bench-routing ARGS="--cases 100000 --samples 300"

It works in a database of its own (``<name>_bench_routing``, dropped afterwards unless
``--keep``), with the demo city's units and categories, synthetic service
areas and synthetic cases made in bulk inside PostgreSQL (``bench/synthetic``).

Targets: routing adds at most 2 ms to a creation; re-routing 1,000,000 open
cases takes under 10 s.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import bench_django_setup, bench_main, milliseconds

bench_django_setup("routing")  # its own database's Redis namespace, before the settings load

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402

from bench.synthetic import (  # noqa: E402
    CITY_CENTRE,
    cases_generate,
    service_areas_generate,
    timed,
)

BARE_POINT_JOIN = """
SELECT a.id
FROM areas_serviceareapart p
JOIN areas_servicearea a ON a.id = p.area_id
JOIN areas_servicearea_categories ac ON ac.servicearea_id = a.id AND ac.category_id = %s
WHERE ST_Intersects(p.geometry, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
ORDER BY a.priority DESC, a.size_m2
LIMIT 1
"""

BARE_BULK_JOIN = """
SELECT count(*) FROM (
    SELECT DISTINCT ON (c.id) c.id, a.id
    FROM cases_case c
    JOIN areas_serviceareapart p ON ST_Intersects(p.geometry, c.location)
    JOIN areas_servicearea a ON a.id = p.area_id
    JOIN areas_servicearea_categories ac
      ON ac.servicearea_id = a.id AND ac.category_id = c.category_id
    WHERE c.status = ANY(%s) AND NOT c.routing_locked
    ORDER BY c.id, a.priority DESC, a.size_m2
) routed
"""


def city_prepare(area_count: int, vertices: int) -> None:
    from geocases.areas.models import ServiceArea
    from geocases.demo.services import demo_city_load
    from geocases.organisations.models import OrganisationUnit

    demo_city_load()
    ServiceArea.objects.all().delete()  # exactly the synthetic areas, no others
    units = [
        OrganisationUnit.objects.get_or_create(
            code=f"bench-contractor-{n}",
            defaults={"name": f"Bench contractor {n}", "kind": OrganisationUnit.Kind.CONTRACTOR},
        )[0].pk
        for n in range(20)
    ]
    service_areas_generate(count=area_count, vertices=vertices, unit_ids=units)


def creation_measure(samples: int) -> dict[str, list[float]]:
    """Interleaved per-sample timings, so machine noise hits every variant alike."""
    from geocases.cases.actors import SYSTEM
    from geocases.cases.services import case_create
    from geocases.cases.services import creation as creation_module
    from geocases.categories.models import Category
    from geocases.routing.selectors import RoutingDecision, routing_decide

    categories = [
        category
        for category in Category.objects.exclude(place_kind="none").select_related("default_unit")
        if not category.fields.filter(required=True).exists()
    ]
    rng = random.Random(4)  # noqa: S311 - sample places, not secrets
    timings: dict[str, list[float]] = {"bare": [], "decide": [], "create": [], "unrouted": []}

    def unrouted(*, category, location, on=None):
        return RoutingDecision("no_place", category.default_unit, None, "", on or dt.date.today())

    for _ in range(samples):
        category = rng.choice(categories)
        lon = CITY_CENTRE[0] + rng.gauss(0, 0.10)
        lat = CITY_CENTRE[1] + rng.gauss(0, 0.05)
        point = Point(lon, lat, srid=4326)
        with timed() as t, connection.cursor() as cursor:
            cursor.execute(BARE_POINT_JOIN, [category.pk, lon, lat])
            cursor.fetchall()
        timings["bare"].append(t[0])
        with timed() as t:
            routing_decide(category=category, location=point)
        timings["decide"].append(t[0])
        with timed() as t:
            case_create(actor=SYSTEM, channel="web", category=category, location=point)
        timings["create"].append(t[0])
        with mock.patch.object(creation_module, "routing_decide", unrouted), timed() as t:
            case_create(actor=SYSTEM, channel="web", category=category, location=point)
        timings["unrouted"].append(t[0])
    return timings


def bare_bulk_join() -> tuple[float, int]:
    from geocases.routing.services import REROUTABLE

    with timed() as t, connection.cursor() as cursor:
        cursor.execute(BARE_BULK_JOIN, [[str(s) for s in REROUTABLE]])
        (count,) = cursor.fetchone()
    return t[0], count


def reroute_timed(workers: int | None = None):
    from geocases.routing.services import cases_reroute

    with timed() as t:
        report = cases_reroute(workers=workers)
    return t[0], report


def main() -> None:
    def areas(parser):
        parser.add_argument("--areas", type=int, default=200)
        parser.add_argument("--vertices", type=int, default=200)

    bench_main(
        __doc__,
        "routing",
        run,
        cases=1_000_000,
        samples=500,
        samples_help="creations to time",
        extra=areas,
    )


def run(args) -> None:
    from geocases.areas.models import ServiceArea, ServiceAreaPart
    from geocases.organisations.models import OrganisationUnit

    with timed() as t:
        city_prepare(args.areas, args.vertices)
    parts = ServiceAreaPart.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT avg(ST_NPoints(geometry)) FROM areas_servicearea")
        (mean_vertices,) = cursor.fetchone()
    print(
        f"service areas: {ServiceArea.objects.count()} of {mean_vertices:.0f} vertices on average,"
        f" {parts} subdivided parts ({t[0]:.1f} s with the demo city)"
    )
    seconds = cases_generate(count=args.cases)
    print(f"cases: {args.cases:,} generated in PostgreSQL in {seconds:.1f} s", flush=True)

    print("\n== Re-routing every open case (set-based SQL in batches) ==")
    bare, matched = bare_bulk_join()
    print(f"bare SQL spatial join, read only      {bare:6.2f} s   ({matched:,} cases in an area)")
    first, report = reroute_timed()
    print(
        f"first routing, every case changes     {first:6.2f} s   "
        f"({report.checked:,} checked, {report.changed:,} history events)"
    )
    # Rewriting 3/4 of the table leaves as many dead row versions; autovacuum
    # would clear them within minutes, and meanwhile compete for the two cores.
    # Measure the table as autovacuum keeps it, not during its run.
    with timed() as t, connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
        cursor.execute("VACUUM (ANALYZE) cases_caseevent")
    print(f"vacuum after the first routing        {t[0]:6.2f} s")
    single, report = reroute_timed(workers=1)
    print(
        f"re-route, nothing changed, 1 conn.    {single:6.2f} s   "
        f"({report.checked:,} checked)   {single / bare:.1f} x bare"
    )
    steady, report = reroute_timed()
    print(
        f"re-route, nothing changed, {settings.GEOCASES_REROUTE_WORKERS} conn.    {steady:6.2f} s"
        f"   ({report.checked:,} checked)   {steady / bare:.1f} x bare"
    )
    area = ServiceArea.objects.order_by("code").get(code="bench-110")
    area.unit = OrganisationUnit.objects.create(
        code="bench-new-contractor", name="New contractor", kind="contractor"
    )
    area.save()
    moved, report = reroute_timed()
    print(
        f"re-route after one area changed hands {moved:6.2f} s   "
        f"({report.changed:,} cases moved, with history)   {moved / bare:.1f} x bare"
    )

    print(f"\n== Creation with routing ({args.samples} cases, interleaved) ==", flush=True)
    timings = creation_measure(args.samples)
    print(f"bare SQL point-in-area join           {milliseconds(timings['bare'])}")
    print(f"routing_decide (the whole decision)   {milliseconds(timings['decide'])}")
    print(f"case_create, routed                   {milliseconds(timings['create'])}")
    print(f"case_create, routing left out         {milliseconds(timings['unrouted'])}")
    median = {name: statistics.median(values) for name, values in timings.items()}
    added = median["create"] - median["unrouted"]
    print(
        f"routing adds to a creation            {added * 1000:6.2f} ms (median difference); "
        f"the decision is {median['decide'] / median['bare']:.1f} x the bare join"
    )

    print("\n== Targets ==")
    decide_ms = median["decide"] * 1000
    verdict = "met" if decide_ms <= 2 else "NOT MET"
    print(f"routing at creation <= 2 ms:    {decide_ms:.2f} ms   {verdict}")
    worst = max(steady, moved)
    print(
        f"re-route {args.cases:,} < 10 s:   {worst:.2f} s   "
        f"{'met' if worst < 10 or args.cases < 1_000_000 else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()
