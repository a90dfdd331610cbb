"""Load test (issue 11): the snowy-morning mix of ``bench/loadtest/locustfile.py``
— citizens reporting on the web form (some with photos), apps on the API and
Open311 with Idempotency-Keys, agents registering calls, contractors taking
cases up, the public map and planners' statistics — run headless by locust
against the production set-up (gunicorn with ``geocases/gunicorn_conf.py``,
DEBUG off, a Celery worker and beat, a real SMTP server on localhost), then
verified: every accepted report in the database exactly once with its
history and its outbox entry, every notification received exactly once.

    make load                                   # 100 users for 10 minutes
    make load ARGS="--users 50 --duration 2m"

It works in a database of its own (``<name>_load``, made afresh with the
demo city each run) on the PostgreSQL and Redis of ``make run``. Exits
non-zero if the verification finds a lost or doubled case or an unsent or
twice-sent notification; the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest.run import CREATIONS, MAP, load_verify, locust_run, stack_ready
from bench.loadtest.stack import ROOT, Mailbox, Stack, database_url_named, redis_namespace

TARGETS = """targets: 0 lost, 0 doubled, 0 5xx; creation p95 < 300 ms; map p95 < 200 ms;
         >= 100 cases made per second"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--duration", default="10m", help="locust's --run-time, e.g. 90s, 10m")
    parser.add_argument("--pace", type=float, default=1.0, help="multiplies every user's rate")
    parser.add_argument(
        "--drain", type=float, default=180, help="seconds to wait for the outbox to empty"
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    name = Path(os.environ["DATABASE_URL"]).name + "_load"
    database_url = database_url_named(os.environ["DATABASE_URL"], name)
    os.environ["DATABASE_URL"] = database_url  # this process reads the same database
    os.environ["REDIS_NAMESPACE"] = redis_namespace(database_url)  # and not the site's Redis keys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geocases.settings")
    stack = Stack(
        database_url=database_url,
        broker_url=os.environ["CELERY_BROKER_URL"],
        log_dir=ROOT / ".var" / "load",
        mailbox=Mailbox(),
    )
    print(f"database {name}: made afresh with the demo city", flush=True)
    try:
        config = stack_ready(stack, pace=args.pace)
        print(
            f"load: {args.users} users for {args.duration} against {stack.base_url} "
            f"(logs in {stack.log_dir})",
            flush=True,
        )
        figures = locust_run(
            stack,
            config=config,
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=args.duration,
            out_dir=stack.log_dir,
        )
        print("load over; waiting for the outbox to empty", flush=True)
        result = load_verify(stack, figures, drain=args.drain)
        ramp_up = args.users / args.spawn_rate
        figures.print(ramp_up)
        result.print()
    finally:
        stack.stop_all()
    outside, _inside = figures.server_errors()
    mean, lowest = figures.creations_per_second(ramp_up)
    print(f"\n{TARGETS}")
    print(
        f"measured: creation p95 {figures.p95(CREATIONS):.0f} ms, map p95 {figures.p95((MAP,)):.0f}"
        f" ms, {mean:.1f} cases/s (slowest minute {lowest:.1f}), {outside} 5xx"
    )
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
