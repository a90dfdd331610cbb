"""Running the locust mix against a :class:`~bench.loadtest.stack.Stack` and
reading its figures: what each kind of request answered and how fast, how
many cases were made per second, and every 5xx with its time (so a drill can
tell the ones inside its outage windows from the others)."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.loadtest.stack import BIN, LOAD_USERS, ROOT, Stack
from bench.loadtest.verify import (
    Verification,
    notifications_verify,
    outbox_drain,
    reports_verify,
)

CREATIONS = ("report (web form)", "report (API)", "report (Open311)", "register (agent, API)")
MAP = "public map (API)"


def stack_ready(stack: Stack, *, pace: float = 1.0) -> dict:
    """A fresh database with the demo city, Django set up in this process to
    read it, the services started; returns what the simulated users need."""
    stack.prepare()
    import django

    django.setup()
    password = json.loads((ROOT / "fixtures" / "demo_city.json").read_text())["demo_password"]
    config = identities(password) | {"pace": pace}
    stack.start()
    return config


def load_verify(stack: Stack, figures: Figures, *, drain: float) -> Verification:
    """Once the outbox is empty (or ``drain`` seconds passed): the database
    and the mail against what clients were told, and any 5xx outside the
    outage windows."""
    outbox_drain(timeout=drain)
    result = Verification()
    reports_verify(figures.reports, result)
    notifications_verify(stack.mailbox, result)
    outside, _inside = figures.server_errors()
    if outside:
        result.problems.append(f"5xx or no answer outside the outage windows: {outside}")
    return result


def identities(password: str) -> dict:
    """Tokens for the agents and contractors, an Open311 key, the planner's
    password: what the simulated users log in with."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from geocases.open311.models import ApiKey
    from geocases.open311.services import api_key_issue

    users = get_user_model().objects.filter(username__in=LOAD_USERS)
    tokens: dict[str, list[str]] = {"agents": [], "contractors": []}
    for user in users:
        token, _ = Token.objects.get_or_create(user=user)
        if user.username.startswith("agent"):
            tokens["agents"].append(token.key)
        elif user.username != "planner":
            tokens["contractors"].append(token.key)
    open311_key = api_key_issue(api_key=ApiKey(name="Load test", contact="load@example.org"))
    month_ago = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    return {
        "tokens": tokens,
        "open311_key": open311_key,
        "password": password,
        "month_ago": month_ago,
    }


@dataclass
class Figures:
    """What one locust run measured."""

    started: float
    ended: float
    reports: list[dict]
    requests: list[tuple[float, str, int, float]]
    windows: list[tuple[float, float]] = field(default_factory=list)  # injected outages

    def in_window(self, at: float) -> bool:
        return any(start <= at <= end for start, end in self.windows)

    def by_name(self) -> dict[str, list[tuple[float, int, float]]]:
        grouped: dict[str, list[tuple[float, int, float]]] = defaultdict(list)
        for start, name, status, ms in self.requests:
            grouped[name].append((start, status, ms))
        return grouped

    def server_errors(self) -> tuple[int, int]:
        """5xx (and requests with no answer) outside and inside outage windows."""
        outside = inside = 0
        for start, _name, status, _ms in self.requests:
            if status >= 500 or status == 0:
                if self.in_window(start):
                    inside += 1
                else:
                    outside += 1
        return outside, inside

    def creations_per_second(self, ramp_up: float) -> tuple[float, float]:
        """Cases made per second after the ramp-up: the mean, and the lowest
        of any whole minute."""
        begin = self.started + ramp_up
        made = [r["at"] for r in self.reports if r["kind"] in KINDS and _accepted(r)]
        steady = [at for at in made if at >= begin]
        seconds = max(self.ended - begin, 1)
        per_minute = Counter(int((at - begin) // 60) for at in steady)
        whole = [per_minute[m] / 60 for m in range(int(seconds // 60))]
        mean = len(steady) / seconds
        return mean, (min(whole) if whole else mean)

    def print(self, ramp_up: float) -> None:
        print(f"\n{'request':34} {'count':>8} {'non-2xx/3xx':>11} {'median':>8} {'p95':>8}")
        for name, rows in sorted(self.by_name().items()):
            times = sorted(ms for _s, _st, ms in rows)
            bad = sum(1 for _s, status, _ms in rows if not 200 <= status < 400)
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{name:34} {len(rows):8d} {bad:11d} {statistics.median(times):6.0f}ms {p95:6.0f}ms"
            )
        mean, lowest = self.creations_per_second(ramp_up)
        outside, inside = self.server_errors()
        print(
            f"\ncases made per second after the {ramp_up:.0f} s ramp-up: "
            f"{mean:.1f} mean, {lowest:.1f} in the slowest whole minute"
        )
        print(f"5xx or no answer: {outside} outside outage windows, {inside} inside")

    def p95(self, names: tuple[str, ...]) -> float:
        times = sorted(
            ms
            for start, name, _status, ms in self.requests
            if name in names and not self.in_window(start)
        )
        return times[int(0.95 * (len(times) - 1))] if times else float("nan")


KINDS = {"web-form", "api", "open311", "agent"}


def _accepted(report: dict) -> bool:
    return 200 <= report["status"] < 300


def locust_run(
    stack: Stack,
    *,
    config: dict,
    users: int,
    spawn_rate: float,
    duration: str,
    out_dir: Path,
    on_started=None,
) -> Figures:
    """Run the mix headless; ``on_started(process)`` may inject faults while
    it runs (it is called once locust is up, and must return when done)."""
    import time

    out_dir.mkdir(parents=True, exist_ok=True)
    journal = out_dir / "journal.json"
    env = dict(os.environ, LOAD_CONFIG=json.dumps(config), LOAD_JOURNAL=str(journal))
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        duration,
        "--host",
        stack.base_url,
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    started = time.time()
    with open(out_dir / "locust.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            windows = on_started(process) if on_started else []
            process.wait()
        finally:
            if process.poll() is None:  # a fault could not be injected or undone
                process.terminate()
                process.wait()
    ended = time.time()
    data = json.loads(journal.read_text())
    return Figures(started, ended, data["reports"], [tuple(r) for r in data["requests"]], windows)
