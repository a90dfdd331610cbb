import pytest

from tests.open311.factories import api_key_issued, pothole_service


@pytest.fixture
def pothole():
    return pothole_service()


@pytest.fixture
def raw_key():
    return api_key_issued()[1]


@pytest.fixture
def client():
    """A client that asks for English, as the messages asserted here are English
    (``locale`` and the Swedish tests choose Swedish themselves)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
