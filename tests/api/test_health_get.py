import json
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_healthy_stack_answers_200_with_the_postgis_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?.*", body["postgis"])
    assert response["Cache-Control"].startswith("max-age=0")


def test_broker_down_answers_503_naming_the_broker(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() | {"postgis": "-"} == {
        "database": "ok",
        "postgis": "-",
        "broker": "unavailable",
    }


def test_health_does_not_describe_the_infrastructure(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    content = client.get("/healthz").content.decode()
    assert str(closed_port) not in content
    assert "refused" not in content.lower()


def test_database_down_answers_503_naming_the_database(closed_port):
    # A separate process, because this one's connection is the test database.
    environ = {
        **os.environ,
        "DATABASE_URL": f"postgis://postgres@127.0.0.1:{closed_port}/geocases",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "1",
    }
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps([r.status_code, r.json()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"database": "unavailable", "postgis": "unavailable", "broker": "ok"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_is_allowed(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
