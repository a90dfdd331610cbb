"""The daily follow-up: per team and contractor, open, parked due and
overdue cases, e-mailed once each working morning and shown as a page."""

import datetime as dt

import pytest
import time_machine

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from geocases.deadlines.followup import followup_for_unit, followups_send
from geocases.notifications.models import Notification
from tests.clock import H, at
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    OrganisationUnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """A street team with one case of each kind, and a contractor with one."""
    lead = UserFactory(email="chef@example.org")
    team = OrganisationUnitFactory(
        code="gata", name="Gata och park", email="gata@example.org", lead=lead
    )
    contractor = ContractorFactory(code="snow", email="order@snow.example.org")
    category = CategoryFactory(
        place_kind="none",
        default_unit=team,
        acknowledge_within=None,
        feedback_within=None,
        resolve_within=8 * H,
    )
    made = {}
    with time_machine.travel(at("2026-11-20 09:00"), tick=False):  # resolve by 17:00 that day
        made["overdue"] = case_create(
            actor=SYSTEM, channel="web", category=category, title="Hål i cykelbanan"
        )
    with time_machine.travel(at("2026-11-25 16:00"), tick=False):  # due the next afternoon
        made["open"] = case_create(
            actor=SYSTEM, channel="web", category=category, title="Trasig parkbänk"
        )
        made["parked"] = case_create(actor=SYSTEM, channel="web", category=category, title="Lövhög")
        made["parked_later"] = case_create(
            actor=SYSTEM, channel="web", category=category, title="Skylt på väg"
        )
        made["closed"] = case_create(
            actor=SYSTEM, channel="web", category=category, title="Klar sedan länge"
        )
        made["contractor"] = case_create(
            actor=SYSTEM, channel="web", category=category, title="Snövall"
        )
    parked = {"status": "parked", "status_before_parking": "assigned"}
    Case.objects.filter(pk=made["parked"].pk).update(parked_until=dt.date(2026, 11, 26), **parked)
    Case.objects.filter(pk=made["parked_later"].pk).update(
        parked_until=dt.date(2026, 12, 10), **parked
    )
    Case.objects.filter(pk=made["closed"].pk).update(status="closed")
    Case.objects.filter(pk=made["contractor"].pk).update(responsible_unit=contractor)
    return team, contractor, made


def numbers(cases) -> set[str]:
    return {case.number for case in cases}


def test_the_lists_hold_what_is_open_parked_due_and_overdue(city):
    team, _contractor, made = city
    followup = followup_for_unit(unit=team, now=at("2026-11-26 07:00"))
    assert numbers(followup.open) == {made["open"].number, made["overdue"].number}
    assert numbers(followup.parked_due) == {made["parked"].number}
    assert numbers(followup.overdue) == {made["overdue"].number}
    assert followup.counts() == {"open": 2, "parked_due": 1, "overdue": 1}


def test_each_unit_gets_one_mail_a_working_morning_in_text_and_html(city):
    team, contractor, made = city
    assert followups_send(now=at("2026-11-26 07:00")) == 2
    assert followups_send(now=at("2026-11-26 07:00")) == 0  # a restarted beat: nothing new
    mail = Notification.objects.get(key=f"followup:{team.pk}:2026-11-26")
    assert mail.recipients == ["gata@example.org", "chef@example.org"]
    assert mail.subject == (
        "Uppföljning 2026-11-26, Gata och park: 2 öppna, 1 parkerade att följa upp, 1 försenade"
    )
    for body in (mail.body_text, mail.body_html):
        assert made["overdue"].number in body and "Hål i cykelbanan" in body
        assert made["parked"].number in body and made["open"].number in body
        assert made["parked_later"].number not in body and made["closed"].number not in body
        assert made["contractor"].number not in body
        assert "/staff/followup/?unit=gata" in body
    assert "<table" in mail.body_html and "<table" not in mail.body_text
    other = Notification.objects.get(key=f"followup:{contractor.pk}:2026-11-26")
    assert other.recipients == ["order@snow.example.org"]
    assert made["contractor"].number in other.body_text
    assert f"/field/{made['contractor'].number}/" in other.body_text  # contractors' own view
    assert followups_send(now=at("2026-11-27 07:00")) == 2  # the next day, new mails


@pytest.mark.parametrize("day", ["2026-11-28", "2026-11-29", "2026-12-25", "2026-12-24"])
def test_no_follow_up_on_weekends_and_holidays(city, day):
    assert followups_send(now=at(f"{day} 07:00")) == 0
    assert not Notification.objects.filter(key__startswith="followup:").exists()


def test_a_unit_with_nothing_to_follow_up_gets_no_mail(city):
    OrganisationUnitFactory(code="idle", email="idle@example.org")
    followups_send(now=at("2026-11-26 07:00"))
    assert not Notification.objects.filter(recipients__contains=["idle@example.org"]).exists()


def test_the_mail_lists_the_first_rows_and_says_how_many_there_are(city, monkeypatch):
    from geocases.deadlines import followup

    monkeypatch.setattr(followup, "MAIL_ROWS", 1)
    team, _contractor, _made = city
    followups_send(now=at("2026-11-26 07:00"))
    mail = Notification.objects.get(key=f"followup:{team.pk}:2026-11-26")
    assert "Visar 1 av 2." in mail.body_text and "Visar 1 av 2." in mail.body_html


def test_the_beat_runs_it_at_the_configured_time():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["daily-followup"]
    assert entry["task"] == "geocases.deadlines.tasks.daily_followup"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
