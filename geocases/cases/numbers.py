"""Case numbers: ``YYYY-NNNNNN``, per year, short enough to read over the phone."""

from __future__ import annotations

import re

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from psycopg.errors import DuplicateTable

MAX_PER_YEAR = 999_999


def _sequence(year: int) -> str:
    return f"cases_number_{int(year)}"


def case_numbers_take(*, year: int, count: int = 1) -> list[int]:
    """``count`` numbers of ``year`` from its PostgreSQL sequence
    (``cases_number_<year>``, made the first time a year needs one).

    A sequence hands each number out once, to concurrent callers too, and
    holds no lock while the caller's transaction goes on: registrations do not
    queue behind each other on a snowy morning (a counter row updated in the
    transaction did, for as long as each registration took). The price is a
    gap where a registration failed after taking its number; a number is
    never handed out twice.
    """
    name = _sequence(year)
    take = "SELECT nextval(to_regclass(%s)) FROM generate_series(1, %s)"
    with connection.cursor() as cursor:
        cursor.execute(take, [name, count])
        values = [value for (value,) in cursor.fetchall()]
        if values and values[0] is None:  # not prepared ahead (case_numbers_prepare)
            case_numbers_prepare(year=year)
            cursor.execute(take, [name, count])
            values = [value for (value,) in cursor.fetchall()]
    if values and values[-1] > MAX_PER_YEAR:
        raise OverflowError(f"more than 999,999 cases in {year}: widen the case number format")
    return values


def case_numbers_prepare(*, year: int) -> None:
    """Make ``year``'s sequence if it is not there yet. The worker prepares
    next year's every day (``tasks.case_numbers_prepare_task``), so that the
    first registrations of 1 January do not wait for each other to make it.
    Made at the same moment by another process is fine; anything else (no
    right to create it, say) is raised."""
    name = _sequence(year)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} MINVALUE 1")
    except IntegrityError:  # two at once: the other one made it
        pass
    except ProgrammingError as error:
        if not isinstance(error.__cause__, DuplicateTable):
            raise


def case_number_next(*, year: int | None = None) -> str:
    """The next number of the year (this year by default)."""
    year = year or timezone.localdate().year
    (number,) = case_numbers_take(year=year)
    return f"{year}-{number:06d}"


def phone_digits(phone: str) -> str:
    """A phone number in the national digits-only form the database indexes
    (see ``Case.reporter_phone_digits``)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    digits = digits.removeprefix("00")
    return "0" + digits[2:] if digits.startswith("46") else digits


_SPOKEN = re.compile(r"^\s*(?:(\d{4})\s*[-\u2013/ ]\s*)?(\d{1,6})\s*$")


def case_number_as_written(text: str, *, year: int | None = None) -> str | None:
    """A case number as a caller reads it out, written in full: "2026-735"
    and "2026 000735" are "2026-000735"; "735" alone is this year's. None
    when ``text`` is not a case number."""
    found = _SPOKEN.match(text or "")
    if not found:
        return None
    given_year, serial = found.groups()
    year = int(given_year) if given_year else (year or timezone.localdate().year)
    if int(serial) == 0:
        return None
    return f"{year}-{int(serial):06d}"
