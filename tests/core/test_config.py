"""The typed environment schema: what operators may set, and what stops a start."""

import json
import os
import subprocess
import sys

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from geocases.config import ConfigurationError, EmailBackend, Environment, environment_load

GOOD_KEY = "k" * 60
# Tests of the environment do not read the checkout's own .var/env.
NO_ENV_FILE = "/nonexistent/geocases-env"


@pytest.fixture
def env(monkeypatch):
    """A process environment holding none of geocases' settings, to set one by one."""
    for name in Environment.model_fields:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GEOCASES_ENV_FILE", NO_ENV_FILE)
    return monkeypatch


def test_debug_off_without_secret_key_refuses_to_start(env):
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        environment_load()


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60])
def test_debug_off_with_a_weak_secret_key_refuses_to_start(env, key):
    env.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        environment_load()


def test_debug_off_with_a_real_secret_key_starts(env):
    env.setenv("SECRET_KEY", GOOD_KEY)
    loaded = environment_load()
    assert loaded.DEBUG is False
    assert loaded.secret_key == GOOD_KEY


def test_debug_on_gets_a_development_key(env):
    env.setenv("DEBUG", "true")
    assert environment_load().secret_key.startswith("django-insecure")


def test_development_defaults(env):
    env.setenv("DEBUG", "1")
    loaded = environment_load()
    assert loaded.TIME_ZONE == "Europe/Stockholm"
    assert loaded.LANGUAGE_CODE == "sv"
    assert loaded.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]
    assert loaded.DATABASE_URL.startswith("postgis://")
    assert loaded.CELERY_BROKER_URL.startswith("redis://")
    assert loaded.email_backend == "django.core.mail.backends.console.EmailBackend"
    assert loaded.MAP_TILE_URL == ""


def test_production_sends_mail_over_smtp_by_default(env):
    env.setenv("SECRET_KEY", GOOD_KEY)
    assert environment_load().email_backend == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("choice", [backend.value for backend in EmailBackend])
def test_every_email_backend_choice_names_one_django_has(env, choice):
    env.setenv("DEBUG", "1")
    env.setenv("EMAIL_BACKEND", choice)
    backend = import_string(environment_load().email_backend)
    assert issubclass(backend, BaseEmailBackend)


def test_allowed_hosts_are_comma_separated(env):
    env.setenv("DEBUG", "1")
    env.setenv("ALLOWED_HOSTS", "arenden.stockholm.se, intern.stad.se ,")
    assert environment_load().ALLOWED_HOSTS == ["arenden.stockholm.se", "intern.stad.se"]


def test_email_settings_are_read(env):
    env.setenv("DEBUG", "1")
    env.setenv("EMAIL_BACKEND", "smtp")
    env.setenv("EMAIL_HOST", "smtp.stad.se")
    env.setenv("EMAIL_PORT", "587")
    env.setenv("EMAIL_USE_TLS", "true")
    env.setenv("EMAIL_HOST_PASSWORD", "hemligt")
    loaded = environment_load()
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT, loaded.EMAIL_USE_TLS) == (
        "smtp.stad.se",
        587,
        True,
    )
    assert loaded.EMAIL_HOST_PASSWORD.get_secret_value() == "hemligt"
    assert "hemligt" not in repr(loaded)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root@localhost/geocases", "needs PostgreSQL with PostGIS"),
        ("TIME_ZONE", "Europe/Atlantis", "unknown time zone"),
        ("LANGUAGE_CODE", "de", "LANGUAGE_CODE"),
        ("EMAIL_PORT", "not-a-port", "EMAIL_PORT"),
        ("EMAIL_BACKEND", "pigeon", "EMAIL_BACKEND"),
        ("DEBUG", "maybe", "DEBUG"),
        ("OUTBOX_RECLAIM_SECONDS", "500", "at least 20 x EMAIL_TIMEOUT"),
        ("EMAIL_TIMEOUT", "0", "EMAIL_TIMEOUT"),
        ("REDIS_NAMESPACE", "två platser", "REDIS_NAMESPACE"),
    ],
)
def test_bad_values_are_named_in_the_error(env, name, value, message):
    env.setenv("DEBUG", "1")
    env.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        environment_load()


def test_english_can_be_the_default_language(env):
    env.setenv("DEBUG", "1")
    env.setenv("LANGUAGE_CODE", "en")
    assert environment_load().LANGUAGE_CODE == "en"


def _settings_in_subprocess(
    environ: dict[str, str], expression: str
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in Environment.model_fields}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, geocases.settings as s; print(json.dumps({expression}))",
        ],
        env={**clean, "GEOCASES_ENV_FILE": NO_ENV_FILE, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_database_url_becomes_a_postgis_database_setting():
    result = _settings_in_subprocess(
        {"DEBUG": "1", "DATABASE_URL": "postgres://case:pw@db.stad.se:6543/arenden"},
        "s.DATABASES['default']",
    )
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.stad.se", 6543, "arenden")
    assert (database["USER"], database["PASSWORD"]) == ("case", "pw")
    assert database["OPTIONS"]["connect_timeout"] == 2


def test_settings_follow_the_environment():
    result = _settings_in_subprocess(
        {
            "SECRET_KEY": GOOD_KEY,
            "TIME_ZONE": "UTC",
            "LANGUAGE_CODE": "en",
            "CELERY_BROKER_URL": "redis://broker:6379/3",
        },
        "[s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE, s.CELERY_BROKER_URL, s.SESSION_COOKIE_SECURE]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, "UTC", "en", "redis://broker:6379/3", True]


def test_two_sites_on_one_redis_keep_apart_by_their_database_names():
    """Cache keys and the Celery queue are named after the database (make run
    and make load, or staging and production, may share one Redis) unless
    REDIS_NAMESPACE names them."""
    expression = "[s.CACHES['default']['KEY_PREFIX'], s.CELERY_TASK_DEFAULT_QUEUE]"
    names = []
    for database in ("arenden", "arenden_load"):
        url = f"postgis://postgres@127.0.0.1:5432/{database}"
        result = _settings_in_subprocess({"DEBUG": "1", "DATABASE_URL": url}, expression)
        assert result.returncode == 0, result.stderr
        names.append(json.loads(result.stdout))
    assert names == [["arenden", "arenden"], ["arenden_load", "arenden_load"]]

    result = _settings_in_subprocess({"DEBUG": "1", "REDIS_NAMESPACE": "stad-prod"}, expression)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["stad-prod", "stad-prod"]


def test_manage_py_refuses_to_start_without_a_secret_key_in_production():
    clean = {k: v for k, v in os.environ.items() if k not in Environment.model_fields}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**clean, "GEOCASES_ENV_FILE": NO_ENV_FILE, "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "geocases cannot start: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_checkouts_env_file_fills_what_the_environment_leaves_out(env, tmp_path):
    written = tmp_path / "env"
    written.write_text(f"SECRET_KEY={GOOD_KEY}\nDEBUG=false\nTIME_ZONE=Europe/Oslo\n")
    env.setenv("GEOCASES_ENV_FILE", str(written))
    env.setenv("TIME_ZONE", "Europe/Stockholm")  # the real environment wins
    loaded = environment_load()
    assert loaded.SECRET_KEY.get_secret_value() == GOOD_KEY
    assert loaded.TIME_ZONE == "Europe/Stockholm"


@pytest.mark.parametrize("rate", ["5/0m", "5/00m", "0/m", "5/", "five/m", "5/w", "5 per minute"])
def test_a_rate_that_cannot_be_counted_refuses_to_start(env, rate):
    env.setenv("DEBUG", "true")
    env.setenv("RATE_LIMIT_LOOKUP", rate)
    with pytest.raises(ConfigurationError, match="RATE_LIMIT_LOOKUP"):
        environment_load()


@pytest.mark.parametrize("rate", ["30/h", "5/10m", "1/s", "100/d", ""])
def test_rates_that_can_be_counted(env, rate):
    env.setenv("DEBUG", "true")
    env.setenv("RATE_LIMIT_LOOKUP", rate)
    assert rate == environment_load().RATE_LIMIT_LOOKUP
