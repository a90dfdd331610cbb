"""The citizen's e-mails: which events, in which language, with which link."""

import pytest

from geocases.cases.services import case_note_add, case_transition
from geocases.notifications.models import Notification
from tests.factories import case_in_status, staff_actor

pytestmark = pytest.mark.django_db


def mails(case) -> list[Notification]:
    """The case's e-mails after its registration receipt."""
    return list(
        Notification.objects.filter(case=case).exclude(key__endswith=":receipt").order_by("pk")
    )


def test_an_anonymous_case_gets_no_mail():
    case = case_in_status("assigned")
    case_transition(
        case=case, actor=staff_actor("handler", case.responsible_unit), to="acknowledged"
    )
    assert mails(case) == []


def test_taken_up_in_the_citizens_language_with_a_working_link(client):
    case = case_in_status("assigned", reporter_email="anna@example.org", reporter_language="en")
    case_transition(
        case=case, actor=staff_actor("handler", case.responsible_unit), to="acknowledged"
    )
    (mail,) = mails(case)
    assert mail.recipients == ["anna@example.org"]
    assert case.number in mail.subject and "has been taken up by" in mail.body_text
    link = mail.body_text.split("http://127.0.0.1:8000")[1].split()[0]
    assert client.get(link).status_code == 200


def test_a_public_update_is_told_and_an_internal_note_is_not():
    case = case_in_status("assigned", reporter_email="anna@example.org")
    actor = staff_actor("handler", case.responsible_unit)
    case_note_add(case=case, actor=actor, text="Intern", public=False)
    case_note_add(case=case, actor=actor, text="Vi plogar i kväll", public=True)
    (mail,) = mails(case)
    assert "Vi plogar i kväll" in mail.body_text and "Intern" not in mail.body_text
    assert "Det finns nytt om ditt ärende" in mail.body_text  # Swedish by default


def test_resolved_comes_with_a_not_fixed_link():
    case = case_in_status(
        "feedback_given", reporter_email="anna@example.org", reporter_language="en"
    )
    case_transition(
        case=case,
        actor=staff_actor("handler", case.responsible_unit),
        to="resolved",
        resolution="Ploughed and gritted",
    )
    mail = mails(case)[-1]
    assert "has been resolved" in mail.body_text and "Ploughed and gritted" in mail.body_text
    assert "Not fixed?" in mail.body_text and "/track/" in mail.body_text


def test_each_event_is_told_once():
    case = case_in_status("assigned", reporter_email="anna@example.org")
    case_note_add(case=case, actor=staff_actor("agent"), text="Nytt", public=True)
    event = case.events.get(kind="public_update")
    from geocases.notifications.citizens import citizen_notify

    citizen_notify(event=event)
    assert len(mails(case)) == 1


def test_a_receipt_for_every_channel_with_the_expected_time():
    from geocases.cases.actors import SYSTEM
    from geocases.cases.services import case_create
    from tests.factories import CategoryFactory

    case = case_create(
        actor=SYSTEM,
        channel="phone",
        category=CategoryFactory(place_kind="none"),
        reporter_email="anna@example.org",
        reporter_language="en",
    )
    mail = Notification.objects.get(case=case, key=f"case:{case.pk}:receipt")
    assert (
        "Your case number is" in mail.body_text and "Expected to be resolved by" in mail.body_text
    )
    assert "/track/" in mail.body_text


def test_every_mail_has_an_html_part_telling_the_same_with_text_escaped():
    case = case_in_status("assigned", reporter_email="anna@example.org")
    case_note_add(
        case=case, actor=staff_actor("agent"), text="<script>alert(1)</script> & mer", public=True
    )
    (mail,) = mails(case)
    assert "<script>alert(1)</script> & mer" in mail.body_text  # plain text stays plain
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in mail.body_html
    assert "<script>" not in mail.body_html
    link = mail.body_text.split("http://127.0.0.1:8000")[1].split()[0]
    assert f'href="http://127.0.0.1:8000{link}"' in mail.body_html
    assert case.number in mail.body_html and 'lang="sv"' in mail.body_html


def test_passed_on_to_another_unit_is_told_but_the_first_forward_is_in_the_receipt():
    from tests.factories import ContractorFactory

    case = case_in_status("new", reporter_email="anna@example.org", reporter_language="en")
    agent = staff_actor("agent")
    case_transition(
        case=case, actor=agent, to="assigned", responsible_unit=case.category.default_unit
    )
    assert mails(case) == []  # the receipt already says who handles it
    case_transition(
        case=case, actor=staff_actor("handler", case.responsible_unit), to="acknowledged"
    )
    other = ContractorFactory(name="Snöröjning Syd AB")
    case_transition(case=case, actor=agent, to="assigned", responsible_unit=other)
    mail = mails(case)[-1]
    assert "is now handled by Snöröjning Syd AB" in mail.body_text


def test_parked_is_told_with_the_day_and_the_reason():
    import datetime as dt

    case = case_in_status("assigned", reporter_email="anna@example.org", reporter_language="en")
    case_transition(
        case=case,
        actor=staff_actor("agent"),
        to="parked",
        reason="Waiting for the ground to thaw",
        follow_up_date=dt.date(2099, 4, 1),
    )
    (mail,) = mails(case)
    assert "is on hold until 1 April 2099" in mail.body_text
    assert "Waiting for the ground to thaw" in mail.body_text


@pytest.mark.parametrize(
    ("outcome", "given", "said"),
    [
        ("solve", {"resolution": "Förklarade fakturan"}, "Förklarade fakturan"),
        ("park", {"follow_up_date": "2099-01-01"}, "2099"),
    ],
)
def test_a_call_solved_or_parked_at_once_sends_one_mail_with_its_outcome(outcome, given, said):
    import datetime as dt

    from geocases.cases.services.desk import case_register_by_phone
    from tests.factories import CategoryFactory

    if "follow_up_date" in given:
        given = {"follow_up_date": dt.date.fromisoformat(given["follow_up_date"])}
    case = case_register_by_phone(
        actor=staff_actor("agent"),
        category=CategoryFactory(place_kind="none"),
        outcome=outcome,
        caller_email="per@example.org",
        **given,
    )
    (mail,) = Notification.objects.filter(case=case)  # no "… will handle it" receipt first
    assert case.number in mail.subject and said in mail.body_text
    assert "kommer att hantera" not in mail.body_text and "hanterar det" not in mail.body_text


def test_closed_from_registered_after_the_receipt_went_out_gets_a_mail_of_its_own():
    from geocases.notifications.models import NotificationStatus

    case = case_in_status("new", reporter_email="anna@example.org")
    receipt = Notification.objects.get(case=case, key__endswith=":receipt")
    Notification.objects.filter(pk=receipt.pk).update(status=NotificationStatus.SENT)
    case_transition(
        case=case, actor=staff_actor("agent"), to="closed", resolution="Löst av kundtjänst"
    )
    receipt.refresh_from_db()
    assert "Löst av kundtjänst" not in receipt.body_text  # the one sent is left as it was
    (closed,) = mails(case)
    assert "Löst av kundtjänst" in closed.body_text
