"""A PostgreSQL cluster and a Redis server of the drills' own, so that
stopping them under load harms nothing else on the machine: both listen on
free ports on 127.0.0.1 and keep their files under ``.var/drills``, made
afresh each run."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.loadtest.stack import free_port


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return versions[-1] / "bin"


def _as_postgres() -> list[str]:
    """PostgreSQL will not run as root: as root, commands run as "postgres"."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Postgres:
    """A throw-away cluster: ``initdb``, then started, stopped and started
    again with ``pg_ctl``."""

    data: Path
    port: int = 0

    def __post_init__(self) -> None:
        self.port = self.port or free_port()

    @property
    def url(self) -> str:
        return f"postgis://postgres@127.0.0.1:{self.port}/geocases_drills"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*_as_postgres(), str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-w", *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def create(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            writable = subprocess.run([*_as_postgres(), "test", "-w", str(self.data)], check=False)
            if writable.returncode != 0:
                raise SystemExit(
                    f"the postgres user cannot write to {self.data} (a parent folder is "
                    "private): move the checkout somewhere readable to run the drills"
                )
        initdb = [str(_pg_bin() / "initdb"), "-D", str(self.data), "-U", "postgres"]
        subprocess.run(
            [*_as_postgres(), *initdb, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._pg_ctl("-l", str(self.data / "server.log"), "-o", options, "start")

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as in a crash or a failover."""
        self._pg_ctl("-m", "fast", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@dataclass
class Redis:
    """A Redis server that keeps nothing on disk: stopped, it forgets every
    queued task (the outbox has to make up for them)."""

    directory: Path
    port: int = 0

    def __post_init__(self) -> None:
        self.port = self.port or free_port()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "redis-server",
                "--daemonize", "yes",
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
                "--logfile", str(self.directory / "redis.log"),
            ],
            check=True,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"Redis did not start on port {self.port}")

    def stop(self) -> None:
        with contextlib.suppress(redis.ConnectionError):  # it is gone, as it should be
            redis.Redis(port=self.port).shutdown(nosave=True)
