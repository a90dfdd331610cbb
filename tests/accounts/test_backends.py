"""The logged-in user is read at most once per few seconds per process, and
forgotten as soon as it is saved or deleted here."""

import pytest
import time_machine
from django.test import Client

from geocases.accounts.backends import CachedModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.GEOCASES_USER_CACHE_SECONDS = 5
    return CachedModelBackend()


def test_the_user_is_read_once_within_the_period(cached, django_assert_num_queries):
    user = UserFactory(role="agent")
    with django_assert_num_queries(1):
        first = cached.get_user(user.pk)
        second = cached.get_user(user.pk)
    assert first == second == user
    assert first is not second  # each request its own copy
    first.first_name = "changed in one request"
    assert cached.get_user(user.pk).first_name != "changed in one request"


def test_it_is_read_again_after_the_period(cached, django_assert_num_queries):
    import datetime as dt

    user = UserFactory(role="agent")
    cached.get_user(user.pk)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=6)
    with time_machine.travel(later, tick=False), django_assert_num_queries(1):
        cached.get_user(user.pk)


def test_saving_the_user_forgets_it_at_once(cached):
    user = UserFactory(role="agent")
    cached.get_user(user.pk)
    user.is_active = False
    user.save()
    assert cached.get_user(user.pk) is None  # ModelBackend refuses inactive users


def test_a_deactivated_user_is_logged_out_on_the_next_request(cached):
    user = UserFactory(role="agent")
    client = Client()
    client.force_login(user)
    assert client.get("/desk/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/desk/").status_code == 302  # to the log-in page


def test_a_period_of_zero_reads_every_time(settings, django_assert_num_queries):
    settings.GEOCASES_USER_CACHE_SECONDS = 0
    user = UserFactory(role="agent")
    with django_assert_num_queries(2):
        CachedModelBackend().get_user(user.pk)
        CachedModelBackend().get_user(user.pk)


def test_a_user_that_does_not_exist_is_none(cached):
    assert cached.get_user(987654321) is None
    assert cached.get_user("not a number") is None
