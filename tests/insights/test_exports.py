"""The planners' export: names in the reader's language, CSV that Swedish
Excel splits into columns, the same precision in CSV and XLSX, "in time" as
the dashboard counts it, and nothing that names a home's case."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

import pytest
import time_machine
from django.contrib.gis.geos import Point
from django.utils import translation

from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create, case_merge, case_transition
from geocases.insights.exports import export_csv, export_xlsx
from geocases.insights.statistics import StatsFilter, case_statistics
from tests.clock import H, at
from tests.factories import CategoryFactory, ContractorFactory, staff_actor

pytestmark = pytest.mark.django_db

EXPORTED = "2026-03-05 12:00"  # a Thursday
EVERYTHING = StatsFilter(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1))
NUMBER, REGISTERED, CATEGORY, STATUS, CHANNEL, UNIT = range(6)
FIRST_CONTACT, ACKNOWLEDGED_IN_TIME, RESOLVED_IN_TIME, LON, LAT = 7, 10, 11, 12, 13


@pytest.fixture
def cases():
    """Made on the working days before EXPORTED; deadlines 2, 8 and 16 office hours."""
    snow_co = ContractorFactory(code="snow-co", name="Snö AB")
    targets = {"acknowledge_within": 2 * H, "feedback_within": 8 * H, "resolve_within": 16 * H}
    snow = CategoryFactory(
        code="snow", name_sv="Snö", name_en="Snow", place_kind="any", default_unit=snow_co,
        **targets,
    )  # fmt: skip
    bins = CategoryFactory(
        code="bins", name_sv="Sopkärl", name_en="Bins", place_kind="point", concerns_home=True,
        default_unit=snow_co, **targets,
    )  # fmt: skip
    agent = staff_actor("agent")
    place = Point(18.0612345, 59.3298765, srid=4326)

    def made(when: str, **kwargs):
        with time_machine.travel(at(when), tick=False):
            forward = kwargs["channel"] == "web"  # to the contractor, no service area needed
            return case_create(actor=SYSTEM, location=place, forward=forward, **kwargs)

    # Acknowledged in time, and now past its resolve-by deadline (Wednesday 08:37).
    late = made("2026-03-02 10:37:42", channel="web", category=snow)
    with time_machine.travel(at("2026-03-02 11:00"), tick=False):
        case_transition(case=late, actor=agent, to="acknowledged")
    # Solved during the call: no deadline to meet.
    call = made("2026-03-02 13:05", channel="phone", category=snow)
    with time_machine.travel(at("2026-03-02 13:10"), tick=False):
        case_transition(case=call, actor=agent, to="closed", resolution="Svar gavs.")
    # About a home: not acknowledged by Monday 16:21.
    home = made("2026-03-02 14:21:09", channel="web", category=bins)
    # Its deadlines still ahead.
    fresh = made("2026-03-05 11:00", channel="web", category=snow)
    # Closed as a duplicate after its acknowledgement was due: no deadline missed.
    duplicate = made("2026-03-03 09:00", channel="web", category=snow)
    with time_machine.travel(at("2026-03-04 09:00"), tick=False):
        case_merge(duplicate=duplicate, into=fresh, actor=agent)
    return {"late": late, "call": call, "home": home, "fresh": fresh, "duplicate": duplicate}


def csv_rows(language: str, where: StatsFilter = EVERYTHING) -> tuple[str, list[list[str]]]:
    with time_machine.travel(at(EXPORTED), tick=False), translation.override(language):
        text = "".join(export_csv(where=where))
    delimiter = ";" if language == "sv" else ","
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def by_registered(rows: list[list]) -> dict[str, list]:
    return {str(row[REGISTERED])[:16]: row for row in rows[1:]}


def test_swedish_csv_names_everything_in_swedish_and_opens_in_swedish_excel(cases):
    text, rows = csv_rows("sv")
    assert text.startswith("\ufeffÄrendenummer;Registrerat;Kategori;Status;Kanal;")
    late = by_registered(rows)["2026-03-02 10:37"]
    assert late[NUMBER] == cases["late"].number
    assert late[CATEGORY : UNIT + 1] == ["Snö", "Mottaget", "Webb", "Snö AB"]
    assert late[FIRST_CONTACT] == "Nej"
    assert late[8] == "0,37"  # hours to acknowledge, with a decimal comma
    assert late[LON : LAT + 1] == ["18,061", "59,330"]
    call = by_registered(rows)["2026-03-02 13:05"]
    assert (call[CHANNEL], call[FIRST_CONTACT]) == ("Telefon", "Ja")
    assert "True" not in text and "False" not in text and "snow-co" not in text


def test_english_csv_uses_commas_and_decimal_points(cases):
    text, rows = csv_rows("en")
    assert text.startswith("\ufeffCase number,Registered,Category,Status,Channel,")
    late = by_registered(rows)["2026-03-02 10:37"]
    assert late[CATEGORY : UNIT + 1] == ["Snow", "Acknowledged", "Web", "Snö AB"]
    assert (late[FIRST_CONTACT], late[8], late[LON]) == ("No", "0.37", "18.061")


def test_the_language_asked_for_is_kept_while_the_csv_streams(cases):
    with time_machine.travel(at(EXPORTED), tick=False):
        with translation.override("sv"):
            lines = export_csv(where=EVERYTHING)
        with translation.override("en"):  # as a server may have it when it sends the rows
            text = "".join(lines)
    assert "Ärendenummer;" in text and ";Webb;" in text


def test_in_time_is_what_the_dashboard_counts(cases):
    """No for a deadline missed (also while the case is still open), empty
    while it is still ahead, for a call solved at once and for a duplicate."""
    _text, rows = csv_rows("en")
    registered = by_registered(rows)
    in_time = {
        when: (row[ACKNOWLEDGED_IN_TIME], row[RESOLVED_IN_TIME]) for when, row in registered.items()
    }
    assert in_time == {
        "2026-03-02 10:37": ("Yes", "No"),  # open, and past its resolve-by deadline
        "2026-03-02 13:05": ("", ""),  # solved at first contact
        "2026-03-02 14:00": ("No", "No"),  # the home's, to the hour
        "2026-03-05 11:00": ("", ""),  # still ahead
        "2026-03-03 09:00": ("", ""),  # closed as a duplicate
    }
    with time_machine.travel(at(EXPORTED), tick=False):
        total = case_statistics(where=EVERYTHING, by=[])["total"][0]
    for column, clock in ((ACKNOWLEDGED_IN_TIME, "acknowledge"), (RESOLVED_IN_TIME, "resolve")):
        answers = [row[column] for row in registered.values()]
        assert answers.count("Yes") == getattr(total, f"{clock}_met")
        assert answers.count("Yes") + answers.count("No") == getattr(total, f"{clock}_due")


def test_a_case_about_a_home_has_no_number_and_its_time_only_to_the_hour(cases):
    text, rows = csv_rows("sv")
    home = by_registered(rows)["2026-03-02 14:00"]
    assert home[NUMBER] == "" and cases["home"].number not in text
    assert home[REGISTERED] == "2026-03-02 14:00"
    assert home[LON : LAT + 1] == ["18,061", "59,330"]  # on the 0.001° grid, as on the map
    others = [row[NUMBER] for row in rows[1:] if row is not home]
    assert all(others)  # other cases keep their (public) numbers


def xlsx_rows(language: str) -> list[list]:
    """The first sheet's cells: text, booleans, numbers; times as datetimes."""
    with time_machine.travel(at(EXPORTED), tick=False), translation.override(language):
        data = export_xlsx(where=EVERYTHING).read()
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - ours
    space = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = []
    for row in sheet.iterfind(".//x:sheetData/x:row", space):
        cells = {}
        for cell in row.iterfind("x:c", space):
            column = ord(cell.get("r")[0]) - ord("A")
            if cell.get("t") == "inlineStr":
                cells[column] = cell.find("x:is/x:t", space).text
            elif cell.get("t") == "b":
                cells[column] = cell.find("x:v", space).text == "1"
            elif column == REGISTERED:
                days = float(cell.find("x:v", space).text)
                cells[column] = dt.datetime(1899, 12, 30) + dt.timedelta(days=days)
            else:
                cells[column] = float(cell.find("x:v", space).text)
        rows.append([cells.get(column) for column in range(LAT + 1)])
    return rows


def test_xlsx_holds_the_same_values_typed_and_to_the_same_minute(cases):
    _text, csv_ = csv_rows("sv")
    rows = xlsx_rows("sv")
    assert rows[0][:3] == ["Ärendenummer", "Registrerat", "Kategori"]
    late = rows[1]  # oldest first, as in the CSV
    registered = late[REGISTERED].replace(microsecond=0) + dt.timedelta(seconds=0.5)
    assert registered.replace(microsecond=0) == dt.datetime(2026, 3, 2, 10, 37)  # no seconds
    assert csv_[1][REGISTERED] == "2026-03-02 10:37"
    assert late[CATEGORY : UNIT + 1] == ["Snö", "Mottaget", "Webb", "Snö AB"]
    assert (late[FIRST_CONTACT], late[ACKNOWLEDGED_IN_TIME], late[RESOLVED_IN_TIME]) == (
        False,
        True,
        False,
    )
    assert late[LON] == pytest.approx(18.061)
    home = next(row for row in rows[1:] if row[CATEGORY] == "Sopkärl")
    assert home[NUMBER] is None
    assert home[REGISTERED] + dt.timedelta(seconds=0.5) >= dt.datetime(2026, 3, 2, 14, 0)
    assert home[REGISTERED] < dt.datetime(2026, 3, 2, 14, 0, 1)  # to the hour
