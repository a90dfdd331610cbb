"""The REST API fuzzed from its own OpenAPI schema: whatever a client sends,
the answer is never a server error. Runs as an agent with a token (so the
staff endpoints are reached) and anonymously."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def api_schema(db):
    """The schema, served by the real WSGI application. Requests must not close
    the test's database connection (Django's own test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from geocases.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/", application, headers={"Host": "127.0.0.1"}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo_city(db):
    from geocases.demo.services import demo_city_load

    demo_city_load()


@pytest.fixture
def agent_token(demo_city):
    from rest_framework.authtoken.models import Token

    from geocases.accounts.models import User

    return Token.objects.create(user=User.objects.filter(role="agent").first()).key


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run
    database=None,
)


def test_no_input_makes_a_server_error(api_schema, agent_token):
    """Every operation, as an agent with a token and anonymously."""
    tried, statuses = 0, []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            for headers in ({"Authorization": f"Token {agent_token}"}, {}):
                response = case.call(headers={"Host": "127.0.0.1", **headers})
                statuses.append(response.status_code)
                case.validate_response(response, checks=[not_a_server_error])

        call()
        tried += 1
    assert tried >= 15
    # The fuzzing reached the code behind the gates, not only the refusals.
    assert statuses.count(200) + statuses.count(201) > 50, sorted(set(statuses))


def test_the_schema_is_valid_openapi_3(api_schema, tmp_path):
    """Validated against the OpenAPI 3 JSON schema, and generated without a
    single warning (every view says what it takes and returns)."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    raw = api_schema.raw_schema
    assert raw["openapi"].startswith("3.")
    assert {"/api/v1/cases/", "/api/v1/cases/{number}/transition/"} <= set(raw["paths"])
