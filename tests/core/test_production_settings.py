"""Production settings: `manage.py check --deploy` is clean, and the site
answers with secure cookies, HSTS and an HTTPS redirect."""

import os
import secrets
import subprocess
import sys

import pytest

from geocases.config import BASE_DIR

pytestmark = pytest.mark.slow

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "cases.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cases.example.org",
    "SITE_URL": "https://cases.example.org",
    "GEOCASES_ENV_FILE": "/nonexistent",  # not the checkout's development environment
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    # Not the test run's own: its DEBUG, key, and the async switch Playwright sets.
    ours = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **PRODUCTION, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_python(
        "from django.core.management import execute_from_command_line as run;"
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'geocases.settings';"
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PROBE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "geocases.settings"
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="cases.example.org")
plain = client.get("/api/v1/categories/")
secure = client.get("/api/v1/categories/", secure=True)
print(plain.status_code, plain.get("Location"))
print(secure.status_code, secure.get("Strict-Transport-Security"))
print(secure.get("X-Frame-Options"), secure.get("X-Content-Type-Options"),
      secure.get("Referrer-Policy"), secure.get("Cross-Origin-Opener-Policy"))
from django.conf import settings
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
      settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_HTTPONLY)
"""


def test_production_redirects_to_https_and_sends_the_security_headers():
    result = run_python(PROBE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "301 https://cases.example.org/api/v1/categories/"
    assert lines[1] == "200 max-age=31536000; includeSubDomains; preload"
    assert lines[2] == "DENY nosniff same-origin same-origin"
    assert lines[3] == "True True True True"


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted_only_when_configured():
    probe = PROBE.replace(
        'plain = client.get("/api/v1/categories/")',
        'plain = client.get("/api/v1/categories/", HTTP_X_FORWARDED_PROTO="https")',
    )
    trusting = run_python(probe, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert trusting.stdout.splitlines()[0] == "200 None", trusting.stderr
    not_trusting = run_python(probe)
    assert not_trusting.stdout.splitlines()[0].startswith("301 "), not_trusting.stderr


def test_static_files_collect_with_production_storage(tmp_path):
    """Hashed, compressed static files (what DEBUG off serves): every
    reference inside CSS and JS must resolve, or production cannot start."""
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'geocases.settings';"
        "from django.core.management import execute_from_command_line as run;"
        "run(['manage.py', 'collectstatic', '--no-input', '-v', '0'])",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("frontend/vendor/chart-4.6.1.umd.min.*.js.gz"))
