import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from geocases.cases.models import Case
from geocases.cases.numbers import case_number_next, phone_digits
from tests.factories import CategoryFactory

CREATE_CASES = """
import django, json, sys
django.setup()
from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create
from geocases.categories.models import Category
category = Category.objects.get(code="concurrent")
print(json.dumps([case_create(actor=SYSTEM, channel="api", category=category).number
                  for _ in range(int(sys.argv[1]))]))
"""


@pytest.mark.django_db
def test_numbers_are_per_year():
    assert case_number_next(year=2025) == "2025-000001"
    assert case_number_next(year=2024) == "2024-000001"
    assert case_number_next(year=2025) == "2025-000002"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_never_get_the_same_number():
    CategoryFactory(code="concurrent", place_kind="none")
    database = settings.DATABASES["default"]
    environ = {
        **os.environ,
        "DATABASE_URL": f"postgis://{database['USER']}:{database['PASSWORD'] or ''}@"
        f"{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    processes, per_process = 6, 25
    running = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_CASES, str(per_process)],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    numbers = []
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        numbers += json.loads(out.strip().splitlines()[-1])

    assert len(numbers) == len(set(numbers)) == processes * per_process
    # No gaps either (none failed); the year's sequence may have served earlier tests.
    taken = sorted(int(n[5:]) for n in numbers)
    assert taken == list(range(taken[0], taken[0] + processes * per_process))
    assert Case.objects.count() == processes * per_process


@pytest.mark.django_db(transaction=True)
def test_a_registration_still_open_does_not_hold_up_the_next_one():
    """The number comes from a sequence: no lock is held until commit, so a
    slow registration does not queue every other one behind it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, transaction

    def take_in_own_transaction() -> str:
        try:
            with transaction.atomic():
                return case_number_next(year=2031)
        finally:
            connection.close()

    assert case_number_next(year=2031) == "2031-000001"  # the year's sequence made
    with transaction.atomic():
        second = case_number_next(year=2031)  # this transaction stays open meanwhile
        with ThreadPoolExecutor(1) as pool:
            third = pool.submit(take_in_own_transaction).result(timeout=10)
    assert (second, third) == ("2031-000002", "2031-000003")


@pytest.mark.django_db(transaction=True)
def test_two_first_registrations_of_a_year_both_get_a_number():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, transaction

    def first_of_the_year() -> str:
        try:
            with transaction.atomic():
                number = case_number_next(year=2033)
                time.sleep(0.3)  # the other one asks meanwhile
                return number
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        running = [pool.submit(first_of_the_year) for _ in range(2)]
        numbers = [future.result(timeout=20) for future in running]
    assert sorted(numbers) == ["2033-000001", "2033-000002"]


@pytest.mark.django_db
def test_a_number_of_a_registration_that_failed_is_not_handed_out_again():
    from django.db import transaction

    case_number_next(year=2032)  # the year's sequence exists from here on
    with pytest.raises(RuntimeError), transaction.atomic():
        case_number_next(year=2032)
        raise RuntimeError("the registration failed after taking its number")
    assert case_number_next(year=2032) == "2032-000003"


@pytest.mark.django_db(transaction=True)
def test_the_worker_prepares_this_and_next_years_sequences_ahead():
    from django.db import connection
    from django.utils import timezone

    from geocases.cases.numbers import case_numbers_prepare
    from geocases.cases.tasks import case_numbers_prepare_task

    case_numbers_prepare_task()
    case_numbers_prepare(year=2041)
    case_numbers_prepare(year=2041)  # again: nothing happens
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename FROM pg_sequences WHERE sequencename = ANY(%s)",
            [[f"cases_number_{y}" for y in (year, year + 1, 2041)]],
        )
        assert len(cursor.fetchall()) == 3
    assert case_number_next(year=2041) == "2041-000001"


@pytest.mark.parametrize(
    ("given", "digits"),
    [
        ("070-123 45 67", "0701234567"),
        ("+46 70 123 45 67", "0701234567"),
        ("0046701234567", "0701234567"),
        ("08-46 500 400", "0846500400"),
    ],
)
def test_phone_numbers_compare_in_national_form(given, digits):
    assert phone_digits(given) == digits
