import pytest

from tests.factories import UserFactory


@pytest.fixture
def admin_client(client):
    """An administrator, logged in on ``client`` (the administration in Swedish)."""
    client.force_login(UserFactory(role="administrator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def admin_client_en(admin_client):
    """The same, asking for English."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client
