"""The production set-up that load runs and drills aim at, started and
stopped from Python: a fresh database with the demo city, gunicorn with
``geocases/gunicorn_conf.py`` and DEBUG off, a Celery worker and beat, and a
real SMTP server on localhost (aiosmtpd) that counts every message it is
handed by its Message-ID — so "sent exactly once" is checked where the mail
arrives, not where geocases believes it sent it."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from aiosmtpd.controller import Controller
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
LOAD_USERS = ("agent", "agent2", "planner", "vinter-nord", "vinter-syd", "avfall-ost", "stadpark")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP server on localhost that keeps a count per Message-ID.

    ``delay`` holds each conversation that long after the recipients are
    named and before the message is handed over, so that a drill can kill a
    worker while it is sending: a worker killed there has not delivered, and
    its retry must deliver once. (Killed in the microseconds between the
    server's "250 OK" for the message and the row being marked sent, a
    worker would send a second copy with the same Message-ID; the
    verification would count it as sent twice.)"""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay
        self.received: Counter[str] = Counter()
        self.in_flight = 0
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        envelope.rcpt_tos.append(address)
        if self.delay:
            with self.lock:
                self.in_flight += 1
            try:
                await asyncio.sleep(self.delay)
            finally:
                with self.lock:
                    self.in_flight -= 1
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message_id = ""
        for line in envelope.content.split(b"\r\n"):
            if not line.strip():
                break  # end of the headers
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode("ascii", "replace")
        with self.lock:
            self.received[message_id] += 1
        return "250 OK"

    def start(self) -> None:
        self.controller.start()
        self.started = True

    def stop(self) -> None:
        if getattr(self, "started", False):
            self.controller.stop()
            self.started = False


def database_url_named(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def redis_namespace(database_url: str) -> str:
    """The Redis namespace (cache keys, Celery queue) of a run on
    ``database_url``: its database's name — never one inherited from the
    environment, where a host's own site may have set ``REDIS_NAMESPACE``
    for itself, so that the run's worker would take the site's tasks and
    the site's worker the run's."""
    return urlsplit(database_url).path.lstrip("/")


def database_drop(url: str) -> None:
    """Drop the database of ``url``; ``db_ensure`` makes it again, with PostGIS."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@dataclass
class Stack:
    """gunicorn, worker and beat for one database and broker."""

    database_url: str
    broker_url: str
    log_dir: Path
    mailbox: Mailbox
    settings: dict[str, str] = field(default_factory=dict)  # more environment
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            CACHE_URL="",
            REDIS_NAMESPACE=redis_namespace(self.database_url),
            DEBUG="false",
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            BIND=f"127.0.0.1:{self.web_port}",
            # The load comes from one address: per-address limits would only
            # measure themselves (their own tests cover them).
            RATE_LIMITS="false",
            EMAIL_BACKEND="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.mailbox.port),
            SITE_URL=self.base_url,
            MEDIA_ROOT=str(self.log_dir / "media"),
        )
        env.update(self.settings)
        return env

    def manage(self, *args: str) -> None:
        subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env() | {"DEBUG": "true"},
            check=True,
        )

    def prepare(self) -> None:
        """A fresh database with the demo city, and static files for production."""
        database_drop(self.database_url)
        self.manage("db_ensure")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("demo_load")
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"],
            cwd=ROOT,
            env=self.env(),
            check=True,
        )

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        # Access lines for thousands of requests a second would cost CPU the
        # service needs; errors are still logged.
        self._spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "-c",
                "python:geocases.gunicorn_conf",
                "--access-logfile",
                "/dev/null",
                "geocases.wsgi",
            ],
        )
        self.wait_healthy()

    def start_worker(self) -> None:
        self._spawn(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "geocases",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--hostname=load@%h",
            ],
        )

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "geocases",
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.log_dir / 'celerybeat-schedule'}",
            ],
        )

    def start(self) -> None:
        self.mailbox.start()
        self.start_web()
        self.start_worker()
        self.start_beat()

    def worker_children(self) -> list[int]:
        """The worker's pool processes (where its tasks run)."""
        return self.worker_children_of(self.processes["worker"].pid)

    @staticmethod
    def worker_children_of(pid: int) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                healthz = f"{self.base_url}/healthz"  # always http://127.0.0.1
                with urllib.request.urlopen(healthz, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.processes["web"].poll() is not None:
                sys.exit(f"gunicorn stopped; see {self.log_dir / 'web.log'}")
            time.sleep(0.5)
        sys.exit(f"the site did not answer /healthz in {timeout:.0f} s")

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in ("beat", "web", "worker"):
            self.stop(name)
        self.mailbox.stop()
