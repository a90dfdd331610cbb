import datetime as dt

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from geocases.cases.models import Case
from geocases.cases.selectors import case_search
from tests.factories import CategoryFactory, OrganisationUnitFactory, case_in_status

pytestmark = pytest.mark.django_db

CENTRAL = Point(18.0686, 59.3326, srid=4326)  # Norrmalm
SOUTH = Point(18.0710, 59.3150, srid=4326)  # Södermalm, about 2 km south


@pytest.fixture
def cases():
    snow, bins = CategoryFactory(code="snow"), CategoryFactory(code="bins")
    unit = OrganisationUnitFactory(code="north")
    made = {
        "plough": case_in_status(
            "assigned",
            category=snow,
            title="Gatan är inte plogad",
            description="Snövallar blockerar övergångsstället",
            location=CENTRAL,
            reporter_email="Kalle.Anka@Example.org",
            reporter_phone="070-123 45 67",
        ),
        "bin": case_in_status(
            "new",
            category=bins,
            title="Överfull papperskorg",
            description="Sopor överallt vid busshållplatsen",
            location=SOUTH,
            reporter_phone="+46 8 46 500 499",
        ),
        "invoice": case_in_status(
            "closed",
            category=CategoryFactory(place_kind="none"),
            title="Fråga om faktura",
            description="Fakturan är fel",
        ),
    }
    Case.objects.filter(pk=made["plough"].pk).update(responsible_unit=unit)
    Case.objects.filter(pk=made["invoice"].pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )
    for case in made.values():
        case.refresh_from_db()
    return made


def numbers(queryset):
    return {c.number for c in queryset}


def test_by_case_number(cases):
    assert numbers(case_search(number=f" {cases['bin'].number} ")) == {cases["bin"].number}


def test_by_reporter_email_ignoring_case(cases):
    assert numbers(case_search(reporter_email="kalle.anka@example.ORG")) == {cases["plough"].number}


@pytest.mark.parametrize("phone", ["0701234567", "+46 70-123 45 67", "0046 70 123 45 67"])
def test_by_reporter_phone_in_any_format(cases, phone):
    assert numbers(case_search(reporter_phone=phone)) == {cases["plough"].number}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("plogad", {"plough"}),
        ("plogade", {"plough"}),  # Swedish stemming: a different form of the same word
        ("snövall", {"plough"}),
        ("papperskorgar", {"bin"}),
        ("faktura", {"invoice"}),
        ("sopor -faktura", {"bin"}),
        ("ingenting", set()),
    ],
)
def test_by_words_with_swedish_stemming(cases, words, expected):
    assert numbers(case_search(words=words)) == {cases[k].number for k in expected}


def test_by_case_number_in_free_text(cases):
    assert numbers(case_search(words=cases["invoice"].number)) == {cases["invoice"].number}


def test_by_category_status_and_unit(cases):
    snow = cases["plough"].category
    assert numbers(case_search(categories=[snow])) == {cases["plough"].number}
    assert numbers(case_search(statuses=["new", "closed"])) == {
        cases["bin"].number,
        cases["invoice"].number,
    }
    assert numbers(case_search(unit=cases["plough"].responsible_unit)) == {cases["plough"].number}


def test_by_dates(cases):
    month_ago = timezone.now() - dt.timedelta(days=30)
    assert cases["invoice"].number not in numbers(case_search(created_from=month_ago))
    assert numbers(case_search(created_to=month_ago)) == {cases["invoice"].number}


def test_by_bounding_box(cases):
    central_box = Polygon.from_bbox((18.06, 59.33, 18.08, 59.34))
    central_box.srid = 4326
    assert numbers(case_search(bbox=central_box)) == {cases["plough"].number}


def test_within_a_distance_in_metres(cases):
    nearby = Point(18.0690, 59.3330, srid=4326)  # about 50 m from CENTRAL
    assert numbers(case_search(near=nearby, near_meters=100)) == {cases["plough"].number}
    assert numbers(case_search(near=nearby, near_meters=10)) == set()
    assert numbers(case_search(near=nearby, near_meters=3000)) == {
        cases["plough"].number,
        cases["bin"].number,
    }


def test_keys_combine(cases):
    assert numbers(case_search(words="plogad", statuses=["closed"])) == set()
    assert numbers(case_search(words="plogad", statuses=["assigned"])) == {cases["plough"].number}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plogad", "plough"),
        ("KALLE.ANKA@example.org", "plough"),
        ("070 123 45 67", "plough"),
        ("papperskorg", "bin"),
    ],
)
def test_one_search_box_finds_by_number_email_phone_or_words(cases, text, expected):
    assert numbers(Case.objects.search_any(text)) == {cases[expected].number}
    assert numbers(Case.objects.search_any(cases[expected].number)) == {cases[expected].number}


def test_admin_search_box_uses_it(cases, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="administrator", is_staff=True, is_superuser=True))
    page = client.get("/admin/cases/case/", {"q": "plogade"}).content.decode()
    assert cases["plough"].number in page and cases["bin"].number not in page
