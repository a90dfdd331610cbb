"""REST API benchmark (issue 5): GET /api/v1/cases/?bbox=… returning 10,000
cases, beside the bare SQL that builds the same GeoJSON inside PostGIS,
measured interleaved in the same run on the same data.

    make bench-api                          # 1,000,000 cases
    make bench-api ARGS="--cases 100000 --samples 10"

It works in a database of its own (``<name>_bench_api``, dropped afterwards
unless ``--keep``), with the demo city and synthetic cases made in bulk inside
PostgreSQL (``bench/synthetic``). Target: at most 3 x the bare SQL.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import bench_django_setup, bench_main, milliseconds

bench_django_setup("api")  # its own database's Redis namespace, before the settings load

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.synthetic import CITY_CENTRE, cases_generate, timed  # noqa: E402

PAGE = 10_000

# The same page the endpoint answers with: newest first, the same properties.
BARE_SQL = """
WITH selection AS (
    SELECT c.* FROM cases_case c
    WHERE ST_Intersects(c.location, ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326))
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'count', (SELECT count(*) FROM selection),
    'features', (
        SELECT json_agg(feature) FROM (
            SELECT json_build_object(
                'type', 'Feature', 'id', c.number,
                'geometry', ST_AsGeoJSON(c.location, 7)::json,
                'properties', json_build_object(
                    'number', c.number, 'title', c.title, 'status', c.status,
                    'category', cat.code, 'channel', c.channel, 'priority', c.priority,
                    'address', c.address, 'responsible_unit', u.name,
                    'routing_flag', c.routing_flag, 'created_at', c.created_at,
                    'updated_at', c.updated_at)) AS feature
            FROM selection c
            JOIN categories_category cat ON cat.id = c.category_id
            LEFT JOIN organisations_organisationunit u ON u.id = c.responsible_unit_id
            ORDER BY c.created_at DESC, c.id DESC
            LIMIT %(page)s
        ) page
    )
)::text
"""


def box_with_at_least(count: int) -> tuple[float, float, float, float]:
    """A box around the centre holding at least ``count`` cases."""
    lon, lat = CITY_CENTRE
    half = 0.005
    with connection.cursor() as cursor:
        while True:
            box = (lon - 2 * half, lat - half, lon + 2 * half, lat + half)
            cursor.execute(
                "SELECT count(*) FROM cases_case"
                " WHERE location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
                box,
            )
            if cursor.fetchone()[0] >= count:
                return box
            half *= 1.25


def main() -> None:
    bench_main(__doc__, "api", run, cases=1_000_000, samples=20, samples_help="samples to time")


def run(args) -> None:
    from geocases.accounts.models import User
    from geocases.demo.services import demo_city_load

    demo_city_load()
    seconds = cases_generate(count=args.cases)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
    print(f"cases: {args.cases:,} generated in PostgreSQL in {seconds:.1f} s", flush=True)
    west, south, east, north = box_with_at_least(PAGE * 2)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.filter(role="agent").first())
    url = f"/api/v1/cases/?bbox={west},{south},{east},{north}&page_size={PAGE}"
    params = {"w": west, "s": south, "e": east, "n": north, "page": PAGE}

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"the API answered {response.status_code}: {response.content[:500]!r}")
    body = response.json()
    print(
        f"bbox {west:.4f},{south:.4f},{east:.4f},{north:.4f}: {body['count']:,} cases in it, "
        f"{len(body['features']):,} returned ({len(response.content) / 1e6:.1f} MB)"
    )

    api, bare = [], []
    for _ in range(args.samples):
        with timed() as t, connection.cursor() as cursor:
            cursor.execute(BARE_SQL, params)
            cursor.fetchone()
        bare.append(t[0])
        with timed() as t:
            client.get(url)
        api.append(t[0])
    print(
        f"\n== GET /api/v1/cases/?bbox=…&page_size={PAGE} ({args.samples} samples, interleaved) =="
    )
    print(f"bare SQL building the same GeoJSON   {milliseconds(bare)}")
    print(f"the API endpoint                     {milliseconds(api)}")
    ratio = statistics.median(api) / statistics.median(bare)
    verdict = "met" if ratio <= 3 else "NOT MET"
    print(f"\n== Target ==\nAPI <= 3 x bare SQL:   {ratio:.2f} x   {verdict}")


if __name__ == "__main__":
    main()
