"""What every benchmark shares: its own database and its own Redis
namespace, its arguments, and how figures are printed."""

from __future__ import annotations

import argparse
import os
import statistics
from collections.abc import Callable

from django.db import connection

_setup_as = ""  # the benchmark Django was set up for (bench_django_setup)


def bench_namespace(site: str, name: str) -> str:
    """Benchmark ``name``'s Redis namespace beside the site's ``site``: its
    cache keys and Celery queue, named as its database is
    (``<database>_bench_<name>``); at most 60 characters, as
    ``REDIS_NAMESPACE`` allows."""
    suffix = f"_bench_{name}"
    return site[: 60 - len(suffix)] + suffix


def bench_django_setup(name: str) -> None:
    """Set Django up for benchmark ``name``, before anything reads the
    settings: the benchmark works in a database of its own (``bench_main``)
    and must keep apart from the site's Redis too. The cache key prefix and
    the Celery queue are the site's namespace (``REDIS_NAMESPACE``, by
    default the site's database name) and are fixed when the settings load,
    so a benchmark that only switched databases afterwards would write its
    figures under the site's keys (the kept statistics durations planners
    read) and send its tasks to the site's worker. It gets a namespace of
    its own before the settings load."""
    global _setup_as
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geocases.settings")
    import dj_database_url
    import django

    from geocases.config import environment_load

    environment = environment_load()
    site = environment.REDIS_NAMESPACE or dj_database_url.parse(environment.DATABASE_URL)["NAME"]
    os.environ["REDIS_NAMESPACE"] = bench_namespace(site, name)
    django.setup()
    _setup_as = name


def milliseconds(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def bench_main(
    doc: str,
    name: str,
    run: Callable[[argparse.Namespace], None],
    *,
    cases: int,
    samples: int,
    samples_help: str = "samples to time",
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """Parse ``--cases --samples --keep --reuse`` (and ``extra``), then ``run``
    in a database of its own, ``<database>_bench_<name>``, dropped afterwards
    unless ``--keep``; ``--reuse`` runs in a kept one (``run`` skips its set-up
    when ``args.reuse``)."""
    if _setup_as != name:
        raise SystemExit(f"bench/{name}.py: call bench_django_setup({name!r}) before Django starts")
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=cases)
    parser.add_argument("--samples", type=int, default=samples, help=samples_help)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the database a --keep run left, as it is (no creation, no seeding)",
    )
    if extra:
        extra(parser)
    args = parser.parse_args()

    settings_dict = connection.settings_dict
    real_name = settings_dict["NAME"]
    settings_dict["TEST"]["NAME"] = f"{real_name}_bench_{name}"
    if args.reuse:
        print(f"database {settings_dict['TEST']['NAME']}: reused as a --keep run left it")
        connection.close()
        settings_dict["NAME"] = settings_dict["TEST"]["NAME"]
        run(args)
        return
    print(f"database {settings_dict['TEST']['NAME']}: creating and migrating", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(real_name, verbosity=0)
