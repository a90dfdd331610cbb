"""Case numbers: ``YYYY-NNNNNN``, per year, short enough to read over the phone."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone


def case_number_next(*, year: int | None = None) -> str:
    """Hand out the next number of the year.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on a per-year counter
    row: PostgreSQL serialises concurrent callers on that row, so no two
    transactions ever get the same number. The row stays locked until the
    caller commits, which is why ``case_create`` asks for its number last.
    A number is never reused: one whose transaction rolled back was never seen.
    """
    year = year or timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_casenumbercounter (year, last) VALUES (%s, 1)
            ON CONFLICT (year) DO UPDATE SET last = cases_casenumbercounter.last + 1
            RETURNING last
            """,
            [year],
        )
        (last,) = cursor.fetchone()
    if last > 999_999:
        raise OverflowError(f"more than 999,999 cases in {year}: widen the case number format")
    return f"{year}-{last:06d}"


def phone_digits(phone: str) -> str:
    """A phone number in the national digits-only form the database indexes
    (see ``Case.reporter_phone_digits``)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    digits = digits.removeprefix("00")
    return "0" + digits[2:] if digits.startswith("46") else digits
