import pytest
from rest_framework.test import APIClient

from tests.factories import ContractorFactory, UserFactory


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def agent_user():
    return UserFactory(role="agent")


@pytest.fixture
def agent(agent_user):
    client = APIClient()
    client.force_authenticate(agent_user)
    return client


@pytest.fixture
def contractor_user():
    return UserFactory(role="contractor", unit=ContractorFactory())


@pytest.fixture
def contractor(contractor_user):
    client = APIClient()
    client.force_authenticate(contractor_user)
    return client


def error_fields(response) -> dict:
    """The field messages of the one error shape (and a check that it is that shape)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]["fields"]
