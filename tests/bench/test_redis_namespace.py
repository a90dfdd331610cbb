"""Benchmarks, the load test and the drills keep apart from the site's
Redis: their own cache keys (the kept statistics durations planners read)
and their own Celery queue (the site's worker must not take their tasks,
nor theirs the site's) — also on a host whose site sets REDIS_NAMESPACE."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import bench_namespace
from bench.loadtest.stack import Mailbox, Stack

ROOT = Path(__file__).resolve().parents[2]
SITE = "postgis://postgres@127.0.0.1:5432/geocases"


def settings_of_benchmark(name: str, **environment: str) -> list[str]:
    """The cache key prefix and the Celery queue bench/<name>.py runs with."""
    script = (
        f"import bench.{name}\n"
        "from django.conf import settings\n"
        "from geocases.celery import app\n"
        "print(settings.CACHES['default']['KEY_PREFIX'], settings.CELERY_TASK_DEFAULT_QUEUE,"
        " app.conf.task_default_queue)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": SITE, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    "site_namespace, expected",
    [("", "geocases_bench_insights"), ("stad-prod", "stad-prod_bench_insights")],
)
def test_a_benchmark_has_its_own_cache_keys_and_queue(site_namespace, expected):
    assert settings_of_benchmark("insights", REDIS_NAMESPACE=site_namespace) == [expected] * 3


def test_every_benchmark_sets_its_namespace_before_django_starts():
    for name in ("api", "open311", "routing"):
        assert settings_of_benchmark(name, REDIS_NAMESPACE="") == [f"geocases_bench_{name}"] * 3


def test_a_benchmark_namespace_is_never_longer_than_the_setting_allows():
    namespace = bench_namespace("x" * 60, "insights")
    assert len(namespace) == 60 and namespace.endswith("_bench_insights")


def test_the_load_test_stack_has_its_own_namespace_whatever_the_site_set(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_NAMESPACE", "geocases")  # a host's site naming its own
    stack = Stack(
        database_url="postgis://postgres@127.0.0.1:5432/geocases_load",
        broker_url="redis://127.0.0.1:6379/0",
        log_dir=tmp_path,
        mailbox=Mailbox(),
        web_port=8123,
    )
    assert stack.env()["REDIS_NAMESPACE"] == "geocases_load"
