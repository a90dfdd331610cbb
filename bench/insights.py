"""Planners' map benchmark (issue 9): cluster and heatmap responses for
viewports from the whole city down to street level, over a million seeded
cases, beside (1) the bare SQL reading the same pre-aggregated cells and
(2) what a user would otherwise do — send every point to the browser and
cluster it there with the ``supercluster`` npm package (run in Node) — all
in the same run on the same data.

    make bench-insights                          # 1,000,000 cases
    make bench-insights ARGS="--cases 100000 --samples 80"

It works in a database of its own (``<name>_bench_insights``, dropped
afterwards unless ``--keep``), with the demo city and cases made by the
product's own seeder (``manage.py cases_seed``). Targets: p95 under 50 ms,
within 2 x the bare SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import bench_django_setup, bench_main, milliseconds

bench_django_setup("insights")  # its own database's Redis namespace, before the settings load

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from geocases.accounts.models import User  # noqa: E402
from geocases.cases.lifecycle import OPEN_STATUSES  # noqa: E402
from geocases.categories.models import Category  # noqa: E402
from geocases.demo.seeding import cases_seed  # noqa: E402
from geocases.demo.services import demo_city_load  # noqa: E402
from geocases.insights.grid import CellRange, level_for_zoom  # noqa: E402
from geocases.insights.selectors import CellFilter, cells_in_view_json  # noqa: E402
from geocases.insights.services import cells_fold  # noqa: E402
from geocases.insights.tasks import statistics_warm_task  # noqa: E402
from geocases.organisations.models import OrganisationUnit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1280, 800)  # a planner's map, in pixels
ZOOMS = range(10, 18)  # the whole city (10) down to a street (17)

BARE_SQL = """
SELECT cx, cy, sum(n), sum(sum_lon) / sum(n), sum(sum_lat) / sum(n)
FROM {table}
WHERE level = %(level)s
  AND cy = ANY(%(rows)s) AND cx BETWEEN %(x0)s AND %(x1)s{conditions}
GROUP BY cx, cy
"""


def viewport(lon: float, lat: float, zoom: int) -> tuple[float, float, float, float]:
    """The box a SCREEN-sized map centred on (lon, lat) shows at ``zoom``."""
    world = 256 * 2**zoom
    x = (lon + 180) / 360 * world
    rad = math.radians(lat)
    y = (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * world
    width, height = SCREEN

    def lon_of(px: float) -> float:
        return px / world * 360 - 180

    def lat_of(py: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / world))))

    return (
        lon_of(x - width / 2),
        lat_of(y + height / 2),
        lon_of(x + width / 2),
        lat_of(y - height / 2),
    )


def filters() -> list[tuple[str, CellFilter, dict]]:
    """What planners filter by, as the selector's filter and as the API's parameters."""
    today = timezone.localdate()
    year_ago = today.replace(day=1, year=today.year - 1)
    snow = Category.objects.get(code="snow-ice")
    contractor = OrganisationUnit.objects.filter(kind="contractor").order_by("code").first()
    open_statuses = sorted(str(s) for s in OPEN_STATUSES)
    return [
        ("none", CellFilter(), {}),
        (
            "last 12 months",
            CellFilter(first_month=year_ago),
            {"first_month": year_ago.strftime("%Y-%m")},
        ),
        ("category", CellFilter(categories=[snow.pk]), {"category": "snow-ice"}),
        (
            "category+open",
            CellFilter(categories=[snow.pk], statuses=open_statuses),
            {"category": "snow-ice", "status": ",".join(open_statuses)},
        ),
        ("contractor", CellFilter(units=[contractor.pk]), {"unit": contractor.code}),
        (
            "channel+year",
            CellFilter(channels=["web"], first_month=year_ago),
            {"channel": "web", "first_month": year_ago.strftime("%Y-%m")},
        ),
    ]


def bare(bbox, zoom: int, where: CellFilter) -> float:
    cells = CellRange.covering(bbox, level_for_zoom(zoom))
    conditions, params = where.sql()
    table = "insights_celldimcount" if where.by_kind else "insights_cellcount"
    params.update(
        level=cells.level, x0=cells.x0, x1=cells.x1, rows=list(range(cells.y0, cells.y1 + 1))
    )
    sql = BARE_SQL.format(table=table, conditions=conditions)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        return time.perf_counter() - start


def own_query(bbox, zoom: int, where: CellFilter) -> float:
    """The API's own query called directly: the cells and the changes not
    yet folded, the JSON written by PostgreSQL — the request without HTTP,
    session, validation or Django."""
    start = time.perf_counter()
    cells_in_view_json(bbox=bbox, zoom=zoom, where=where, shape="clusters")
    return time.perf_counter() - start


def timed_get(client: Client, url: str, params: dict, expect: int = 200) -> float:
    start = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - start
    if response.status_code != expect:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed


def statistics_page(client: Client, samples: int) -> None:
    """The dashboard for all cases of the last twelve months, and the
    statistics behind it, beside the bare scan of those cases."""
    today = timezone.localdate()
    first = f"{today.year - 1}-{today.month:02d}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_case WHERE created_at >= %s",
            [dt.datetime(today.year - 1, today.month, 1, tzinfo=timezone.get_current_timezone())],
        )
        (year,) = cursor.fetchone()
    rounds = max(5, samples // 40)
    since = dt.datetime(today.year - 1, today.month, 1, tzinfo=timezone.get_current_timezone())
    groupings = ["month", "category", "unit", "district", "channel"]

    def pages() -> list[float]:
        return [
            timed_get(client, "/insights/", {"first_month": first, "group_by": group_by})
            for group_by in groupings * rounds
        ]

    # Durations computed for every request, as for a filter no one asked before…
    with override_settings(GEOCASES_STATISTICS_DURATIONS_SECONDS=0):
        computed = pages()
    # …and as planners get the dashboard's year: its durations kept warm by
    # the worker (statistics_warm_task, every few minutes), counts live.
    statistics_warm_task()
    served = pages()
    scan = []
    for _ in groupings * rounds:
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(
                "SELECT count(*), count(DISTINCT category_id) FROM cases_case "
                "WHERE created_at >= %s",
                [since],
            )
            cursor.fetchall()
            scan.append(time.perf_counter() - start)
    print(f"\nthe statistics page for a year ({year:,} cases; grouped by month, category, unit,")
    print(f"district, channel), counts live, durations kept warm: {milliseconds(served)}")
    print("  (target: under 1 s)")
    print(f"  with the durations computed for the request: {milliseconds(computed)}")
    print(f"  beside a bare count over the same cases: {milliseconds(scan)}")
    start = time.perf_counter()
    response = client.get("/insights/export.csv", {"first_month": first})
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - start
    print(f"  CSV export of those {year:,} cases (streamed): {seconds:.1f} s, {size / 1e6:.0f} MB")


def supercluster(views: list[tuple], points_file: Path) -> dict:
    script = ROOT / "bench" / "supercluster.mjs"
    if not (ROOT / "node_modules" / "supercluster").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([{"bbox": list(b), "zoom": z} for b, z in views], handle)
    output = subprocess.run(
        ["node", str(script), str(points_file), handle.name],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    os.unlink(handle.name)
    return json.loads(output.stdout)


def run(args) -> None:
    rng = random.Random(9)  # noqa: S311 - benchmark data
    if args.reuse:
        cells_fold()  # the changes an earlier run left
    else:
        demo_city_load()
        print(f"seeding {args.cases:,} cases with manage.py cases_seed …", flush=True)
        report = cases_seed(count=args.cases, years=3, seed=1)
        print(f"seeded: {report.lines()[0]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE location IS NOT NULL")
        (placed,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM insights_celldimcount")
        (dim_rows,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM insights_cellcount")
        (month_rows,) = cursor.fetchone()
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(location) p FROM cases_case "
            "WHERE location IS NOT NULL ORDER BY random() LIMIT 2000) s"
        )
        centres = cursor.fetchall()
    print(f"{placed:,} cases with a place")
    print(f"cells: {month_rows:,} rows per month, {dim_rows:,} per month and kind (12 levels)")

    # As autovacuum would soon after a bulk load; without it, it competes
    # for the two cores while we measure.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_caseevent")
    # Changes still waiting to be folded, as between two folds under load.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET status = 'closed', closed_at = now() WHERE id IN (SELECT id "
            "FROM cases_case WHERE status <> 'closed' AND location IS NOT NULL LIMIT 500)"
        )
        cursor.execute("SELECT count(*) FROM insights_cellchange")
        (pending,) = cursor.fetchone()
    print(f"{pending} changes not yet folded (read along with the cells)")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="planner"))
    kinds = filters()
    # The floor: the same authenticated request refused before any SQL (a
    # zoom out of range) — session, user, routing, DRF and JSON, nothing else.
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.ERROR  # fifty expected 400s, not logged
    floor = [
        timed_get(
            client,
            "/api/v1/insights/clusters/",
            {"bbox": "18,59,18.1,59.1", "zoom": 99},
            expect=400,
        )
        for _ in range(50)
    ]
    quiet.setLevel(level)
    views, api, heat, sql, ratios, own, own_ratios = [], {}, {}, {}, [], [], []
    for zoom in ZOOMS:
        api[zoom], heat[zoom], sql[zoom] = [], [], []
        for _ in range(args.samples // len(ZOOMS)):
            lon, lat = rng.choice(centres) if zoom >= 12 else (18.05, 59.33)
            bbox = viewport(lon, lat, zoom)
            _name, where, params = rng.choice(kinds)
            query = {"bbox": ",".join(f"{v:.6f}" for v in bbox), "zoom": zoom, **params}
            # Both read warm pages: the cells once untimed, then the bare SQL
            # and the API in a random order.
            bare(bbox, zoom, where)
            if rng.random() < 0.5:
                base = bare(bbox, zoom, where)
                served = timed_get(client, "/api/v1/insights/clusters/", query)
            else:
                served = timed_get(client, "/api/v1/insights/clusters/", query)
                base = bare(bbox, zoom, where)
            hot = timed_get(client, "/api/v1/insights/heatmap/", query)
            own.append(own_query(bbox, zoom, where))
            own_ratios.append(served / own[-1])
            api[zoom].append(served)
            heat[zoom].append(hot)
            sql[zoom].append(base)
            ratios.append(served / base)
            if not params:
                views.append((bbox, zoom))

    print(
        f"\n{'zoom':>4}  {'clusters (API)':>36}  {'heatmap (API)':>36}  {'bare SQL':>36}"
        f"  {'API/SQL':>7}"
    )
    for zoom in ZOOMS:
        ratio = statistics.median(a / b for a, b in zip(api[zoom], sql[zoom], strict=True))
        print(
            f"{zoom:>4}  {milliseconds(api[zoom])}  {milliseconds(heat[zoom])}  "
            f"{milliseconds(sql[zoom])}  {ratio:6.2f}x"
        )
    every_api = [t for z in ZOOMS for t in api[z]]
    every_heat = [t for z in ZOOMS for t in heat[z]]
    every_sql = [t for z in ZOOMS for t in sql[z]]
    print(f" all  {milliseconds(every_api)}  {milliseconds(every_heat)}  {milliseconds(every_sql)}")
    ordered = sorted(ratios)
    print(
        f"API / bare SQL, same request: median {statistics.median(ordered):.2f} x, "
        f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:.2f} x   (target: p95 < 50 ms, < 2 x)"
    )
    print(f"the API's own query, called directly (cells + changes): {milliseconds(own)}")
    ordered = sorted(own_ratios)
    print(
        f"API / its own query called directly: median {statistics.median(ordered):.2f} x, "
        f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:.2f} x"
    )
    base = statistics.median(floor)
    print(f"an authenticated API request that runs no SQL: {milliseconds(floor)}")
    work = sorted(max(a - base, 0) / b for a, b in zip(every_api, every_sql, strict=True))
    print(
        f"API minus that floor / bare SQL: median {statistics.median(work):.2f} x, "
        f"p95 {work[int(0.95 * (len(work) - 1))]:.2f} x"
    )

    street = []
    for _ in range(args.samples // 4):
        lon, lat = rng.choice(centres)
        query = {"bbox": ",".join(f"{v:.6f}" for v in viewport(lon, lat, 18)), "zoom": 18}
        timed_get(client, "/api/v1/insights/cases/", query)  # warm, as above
        street.append(timed_get(client, "/api/v1/insights/cases/", query))
    print(f"street level (zoom 18), the cases one by one (the newest 500): {milliseconds(street)}")

    statistics_page(client, args.samples)

    print("\nthe alternative: every point to the browser, clustered there by supercluster")
    with tempfile.TemporaryDirectory() as folder:
        points_file = Path(folder) / "points.json"
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT json_agg(json_build_array(round(ST_X(p)::numeric, 6), "
                "round(ST_Y(p)::numeric, 6)))::text FROM (SELECT ST_PointOnSurface(location) p "
                "FROM cases_case WHERE location IS NOT NULL) s"
            )
            (text,) = cursor.fetchone()
        export = time.perf_counter() - start
        points_file.write_text(text)
        size = len(text.encode())
        node = supercluster(views, points_file)
    print(
        f"  server builds all {placed:,} points as JSON: {export * 1000:8.0f} ms, "
        f"{size / 1e6:.1f} MB to download"
    )
    print(
        f"  browser parses them: {node['parse']:8.0f} ms; supercluster indexes them: "
        f"{node['load']:8.0f} ms"
    )
    samples = [t / 1000 for t in node["times"]]
    print(f"  then each view (unfiltered): {milliseconds(samples)}")
    print("  (every filter change means fetching and indexing the points again)")


if __name__ == "__main__":
    bench_main(__doc__, "insights", run, cases=1_000_000, samples=400)
