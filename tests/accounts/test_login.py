"""Log-in: Argon2 password hashes, and lock-out of a user name from an
address after repeated failures (django-axes), on the pages and the admin."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

import geocases.settings as production
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long and good passphrase"


@pytest.fixture
def agent():
    user = UserFactory(role="agent", username="anna.agent")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, address="192.0.2.10", url="/login/", username="anna.agent"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_passwords_are_hashed_with_argon2id(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the tests use a fast hasher
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, encoded)


def test_an_older_hash_is_upgraded_at_the_next_log_in(settings, agent):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    agent.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    agent.save()
    assert log_in(Client(), PASSWORD).status_code == 302
    agent.refresh_from_db()
    assert agent.password.startswith("argon2$")


def test_five_failures_lock_the_user_name_out_from_that_address(settings, agent):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error

    locked = log_in(client, "wrong")

    assert locked.status_code == 429
    assert "too many failed attempts" in locked.content.decode()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Even the right password is refused while locked…
    assert log_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # …but the same person may log in from another address.
    assert log_in(Client(), PASSWORD, address="192.0.2.99").status_code == 302


def test_the_lock_out_ends_after_the_cool_off(settings, agent):
    import datetime as dt

    import time_machine

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), "wrong")
    assert log_in(Client(), PASSWORD).status_code == 429
    later = dt.datetime.now(dt.UTC) + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)
    with time_machine.travel(later):
        assert log_in(Client(), PASSWORD).status_code == 302


def test_a_success_resets_the_count(settings, agent):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), "wrong")
    assert log_in(Client(), PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), "wrong")
    assert log_in(Client(), PASSWORD).status_code == 302


def test_the_administration_log_in_is_locked_out_too(settings):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", url="/admin/login/", username="root")
    assert log_in(client, PASSWORD, url="/admin/login/", username="root").status_code == 429


def test_the_lock_out_page_is_in_swedish_by_default(settings, agent):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page = log_in(Client(), "wrong")
    assert page.status_code == 429 and "för många misslyckade försök" in page.content.decode()
