"""The administration follows the role: an administrator (not a superuser,
not "staff") logs in and maintains what the matrix gives them; other roles
stay out, whatever Django's flags say."""

import pytest
from django.test import Client

from geocases.categories.models import Category
from tests.factories import CategoryGroupFactory, OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and good passphrase"
# What an administrator maintains (README, "Who may do what": users,
# categories, areas; retention is a category's), list and add pages.
MAINTAINED = [
    "categories/category",
    "categories/categorygroup",
    "areas/servicearea",
    "areas/district",
    "organisations/organisationunit",
    "accounts/user",
    "open311/apikey",
]


def person(role, **flags):
    user = UserFactory(role=role, username=f"the-{role}", **flags)
    user.set_password(PASSWORD)
    user.save()
    return user


def admin_log_in(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    return client, response


def test_an_administrator_without_django_flags_logs_in_and_maintains_everything():
    person("administrator", is_staff=False, is_superuser=False)

    client, response = admin_log_in("the-administrator")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    index = client.get("/admin/").content.decode()
    for path in MAINTAINED:
        assert f"/admin/{path}/" in index, path
        assert client.get(f"/admin/{path}/").status_code == 200, path
        assert client.get(f"/admin/{path}/add/").status_code == 200, path


def test_an_administrator_adds_a_category_with_its_retention():
    person("administrator")
    client, _ = admin_log_in("the-administrator")

    response = client.post(
        "/admin/categories/category/add/",
        {
            "code": "benches",
            "group": CategoryGroupFactory().pk,
            "name_sv": "Bänkar",
            "name_en": "Benches",
            "place_kind": "point",
            "order": 0,
            "template_priority": "normal",
            "default_unit": OrganisationUnitFactory().pk,
            "retention_days": 365,
            "fields-TOTAL_FORMS": 0,
            "fields-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    assert Category.objects.get(code="benches").retention_days == 365


@pytest.mark.parametrize("role", ["agent", "handler", "contractor", "planner"])
def test_other_roles_stay_out_even_with_the_staff_flag(role):
    person(role, is_staff=True)

    client, response = admin_log_in(f"the-{role}")

    assert response.status_code == 200  # the log-in form again, with its error
    assert "correct username and password" in response.content.decode()
    client.force_login(UserFactory(role=role))
    for path in MAINTAINED:
        assert client.get(f"/admin/{path}/").status_code == 302, path  # to the log-in


def test_a_deactivated_administrator_cannot_log_in():
    person("administrator", is_active=False)

    _, response = admin_log_in("the-administrator")

    assert response.status_code == 200
