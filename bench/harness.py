"""What every benchmark shares: its own database, its arguments, and how
figures are printed."""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

from django.db import connection


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
