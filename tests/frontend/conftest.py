import pytest

from tests.factories import UserFactory


@pytest.fixture
def agent(client):
    """A customer-service agent, logged in on ``client``."""
    user = UserFactory(role="agent")
    client.force_login(user)
    return user
