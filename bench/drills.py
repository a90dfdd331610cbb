"""Fault drills (issue 11): the load of ``make load`` against the production
set-up while, one after another,

1. Redis is stopped for ``--outage`` seconds (it keeps nothing on disk, so
   every task queued in it is lost with it): reports must still be accepted,
   their e-mails held in the outbox and sent by the sweep afterwards;
2. PostgreSQL is stopped (fast shutdown, connections cut) for ``--outage``
   seconds and started again: requests must fail fast with 503, and the
   service must recover by itself;
3. a Celery pool process is killed (SIGKILL) while it is sending an e-mail:
   the task must run again elsewhere and the e-mail arrive once;
4. a whole Celery worker is killed (SIGKILL) while sending, and a new one
   started: what it held must still be sent, once.

Then the outbox is left to empty and everything is verified as in
``make load``: every accepted report in the database exactly once with its
history and its outbox entry, no 5xx but during the PostgreSQL outage (and
only 503 there), every notification received exactly once by the SMTP
server, and each kill caught a worker sending. Exits non-zero otherwise.

    make drills
    make drills ARGS="--users 60 --outage 45"

PostgreSQL and Redis are the drills' own (a throw-away cluster and server
on free ports, files under ``.var/drills``), so that stopping them disturbs
nothing else on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.loadtest.faults import Postgres, Redis
from bench.loadtest.run import CREATIONS, MAP, load_verify, locust_run, stack_ready
from bench.loadtest.stack import ROOT, Mailbox, Stack, redis_namespace

# A request that started shortly before an outage may fail when it begins;
# one that started during it may fail shortly after it ended.
MARGIN = 5.0
SETTLE = 40.0  # seconds of plain load before, between and after the faults


@dataclass
class Drill:
    name: str
    started: float
    ended: float
    note: str = ""
    outage: bool = False  # an outage window: 503s inside it are expected
    caught: bool = True  # the fault landed as meant (a worker was sending)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument(
        "--outage", type=float, default=30, help="seconds Redis and PostgreSQL stay down"
    )
    parser.add_argument(
        "--drain", type=float, default=420, help="seconds to wait for the outbox to empty"
    )
    return parser.parse_args()


def _wait_until(moment: float, locust) -> bool:
    """Sleep until ``moment``; False if locust stopped meanwhile."""
    while time.time() < moment:
        if locust.poll() is not None:
            return False
        time.sleep(0.2)
    return True


def _while_sending(mailbox: Mailbox, timeout: float = 60) -> bool:
    """Slow the mail server down until a worker is in the middle of sending."""
    mailbox.delay = 3.0
    deadline = time.monotonic() + timeout
    while mailbox.in_flight == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    time.sleep(0.2)
    return True


def faults_inject(stack: Stack, postgres: Postgres, redis_server: Redis, args, drills: list):
    """The schedule of faults, run while locust runs; returns the outage windows."""

    def run(locust) -> list[tuple[float, float]]:
        clock = time.time() + args.users / args.spawn_rate + SETTLE
        # With Redis down intake must go on (no window: a 5xx fails the run);
        # with PostgreSQL down requests must fail fast with 503.
        steps = (
            ("Redis stopped", redis_server.stop, redis_server.start, False),
            ("PostgreSQL stopped", postgres.stop, postgres.start, True),
        )
        for name, stop, start, outage in steps:
            if not _wait_until(clock, locust):
                return _windows(drills)
            print(f"drill: {name.lower()} for {args.outage:.0f} s", flush=True)
            began = time.time()
            stop()
            time.sleep(args.outage)
            start()
            drills.append(Drill(name, began, time.time(), outage=outage))
            clock = time.time() + SETTLE

        if not _wait_until(clock, locust):
            return _windows(drills)
        print("drill: a Celery pool process killed while it sends", flush=True)
        began = time.time()
        sending = _while_sending(stack.mailbox)
        pool = stack.worker_children()
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        stack.mailbox.delay = 0
        drills.append(
            Drill(
                "Celery pool processes killed",
                began,
                time.time(),
                f"{len(pool)} killed, {'while' if sending else 'NOT seen'} sending",
                caught=sending,
            )
        )

        if not _wait_until(time.time() + SETTLE / 2, locust):
            return _windows(drills)
        print("drill: the Celery worker killed while it sends; a new one started", flush=True)
        began = time.time()
        sending = _while_sending(stack.mailbox)
        worker = stack.processes.pop("worker")
        pool = stack.worker_children_of(worker.pid)
        worker.kill()
        for pid in pool:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait()
        stack.mailbox.delay = 0
        stack.start_worker()
        drills.append(
            Drill(
                "Celery worker killed, another started",
                began,
                time.time(),
                f"{'while' if sending else 'NOT seen'} sending",
                caught=sending,
            )
        )
        return _windows(drills)

    return run


def _duration(args) -> float:
    """How long the load runs: the schedule of faults with some slack, and a
    settled stretch after the last (locust then lets running requests end)."""
    ramp_up = args.users / args.spawn_rate
    kills = 2 * 10  # each waits for a worker to be sending
    return ramp_up + 4.5 * SETTLE + 2 * (args.outage + 5) + kills + 20


def _windows(drills: list[Drill]) -> list[tuple[float, float]]:
    return [(d.started - MARGIN, d.ended + MARGIN) for d in drills if d.outage]


def drills_verify(drills: list[Drill], figures, result) -> None:
    """Every drill ran and landed as meant; inside an outage window the only
    error is a fast 503 (5xx outside the windows are counted by load_verify)."""
    if len(drills) < 4:
        result.problems.append(f"only {len(drills)} of 4 drills ran (locust stopped early?)")
    for drill in drills:
        if not drill.caught:
            result.problems.append(f"{drill.name}: no worker was seen sending when it was killed")
    others = Counter(
        status
        for start, _name, status, _ms in figures.requests
        if figures.in_window(start) and (status > 503 or status in (0, 500, 501, 502))
    )
    if others:
        result.problems.append(f"errors other than 503 during the outage: {dict(others)}")


def drills_print(drills: list[Drill], figures) -> None:
    print(f"\n{'drill':40} {'seconds':>8} {'requests':>9} {'5xx':>6} {'cases':>6}  note")
    for drill in drills:
        start, end = drill.started - MARGIN, drill.ended + MARGIN
        inside = [r for r in figures.requests if start <= r[0] <= end]
        errors = sum(1 for r in inside if r[2] >= 500 or r[2] == 0)
        accepted = sum(1 for r in inside if r[1] in CREATIONS and 200 <= r[2] < 400)
        print(
            f"{drill.name:40} {drill.ended - drill.started:8.1f} {len(inside):9d} {errors:6d}"
            f" {accepted:6d}  {drill.note}"
        )
    for drill in drills:
        if drill.outage:
            after = sorted(
                r[0]
                for r in figures.requests
                if r[0] >= drill.ended and r[1] in CREATIONS and 200 <= r[2] < 400
            )
            if after:
                print(
                    f"{drill.name}: the first report after it was accepted "
                    f"{after[0] - drill.ended:.1f} s after it ended"
                )
    print(f"(counted over each drill and {MARGIN:.0f} s either side; cases: reports accepted)")


def main() -> int:
    args = arguments()
    base = ROOT / ".var" / "drills"
    postgres = Postgres(base / "postgres")
    redis_server = Redis(base / "redis")
    print(f"drills: own PostgreSQL on port {postgres.port}, own Redis on port {redis_server.port}")
    os.environ["DATABASE_URL"] = postgres.url  # this process reads the same database
    os.environ["CELERY_BROKER_URL"] = redis_server.url
    os.environ["REDIS_NAMESPACE"] = redis_namespace(postgres.url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geocases.settings")
    stack = Stack(
        database_url=postgres.url,
        broker_url=redis_server.url,
        log_dir=base / "logs",
        mailbox=Mailbox(),
        # What a killed worker had taken is sent again after 2 minutes, not
        # the 10 of production, so that the drills need not wait that long.
        settings={"OUTBOX_RECLAIM_SECONDS": "120", "EMAIL_TIMEOUT": "5"},
    )
    drills: list[Drill] = []
    try:
        postgres.create()
        postgres.start()
        redis_server.start()
        config = stack_ready(stack)
        print(f"load: {args.users} users against {stack.base_url} (logs in {stack.log_dir})")
        figures = locust_run(
            stack,
            config=config,
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=f"{_duration(args):.0f}s",
            out_dir=stack.log_dir,
            on_started=faults_inject(stack, postgres, redis_server, args, drills),
        )
        print("load over; waiting for the outbox to empty", flush=True)
        result = load_verify(stack, figures, drain=args.drain)
        figures.print(args.users / args.spawn_rate)
        drills_print(drills, figures)
        drills_verify(drills, figures, result)
        result.print()
    finally:
        try:
            stack.stop_all()
        finally:
            redis_server.stop()
            if postgres.running():
                postgres.stop()
    outside, _inside = figures.server_errors()
    print(
        f"\nmeasured outside the outages: creation p95 {figures.p95(CREATIONS):.0f} ms,"
        f" map p95 {figures.p95((MAP,)):.0f} ms, {outside} 5xx"
    )
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
