import json
import os
import subprocess
import sys

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
    assert case_number_next(year=2026) == "2026-000001"
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
    assert sorted(int(n[5:]) for n in numbers) == list(range(1, processes * per_process + 1))
    assert Case.objects.count() == processes * per_process


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
