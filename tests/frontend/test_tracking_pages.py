"""/track/<token>/ and /track/: what the citizen sees and does."""

import pytest
from django.core import mail

from geocases.cases.models import Case
from geocases.cases.services import case_note_add, case_transition
from geocases.notifications.models import Notification
from geocases.tracking.models import TrackingLink
from geocases.tracking.services import tracking_link_issue
from tests.factories import case_in_status, staff_actor
from tests.notifications.helpers import outbox_deliver
from tests.tracking.test_tracking_links import resolved_case

pytestmark = pytest.mark.django_db


def test_the_page_shows_status_public_history_and_expected_time(client):
    case = case_in_status("assigned", reporter_email="anna@example.org")
    case_note_add(
        case=case, actor=staff_actor("agent", case.responsible_unit), text="Intern", public=False
    )
    case_note_add(
        case=case,
        actor=staff_actor("agent", case.responsible_unit),
        text="Vi plogar i kväll",
        public=True,
    )
    page = client.get(f"/track/{tracking_link_issue(case=case)}/").content.decode()
    assert case.number in page and "Vi plogar i kväll" in page
    assert "Intern" not in page and "anna@example.org" not in page
    assert case.responsible_unit.name in page


def test_the_history_names_each_status_and_the_page_says_what_was_done(client):
    case = case_in_status("assigned", title="Snöröjning behövs")
    contractor = staff_actor("contractor", case.responsible_unit)
    case_transition(case=case, actor=contractor, to="acknowledged")
    case_transition(case=case, actor=contractor, to="feedback_given", message="Vi kommer i kväll")
    case_transition(case=case, actor=contractor, to="resolved", resolution="Plogat och sandat.")
    page = client.get(f"/track/{tracking_link_issue(case=case)}/").content.decode()
    assert "Status: Mottaget" in page and "Status: Åtgärdat" in page
    assert "Vad som gjordes" in page and "Plogat och sandat." in page


def test_a_title_that_only_repeats_the_category_is_not_shown(client):
    case = case_in_status("assigned", title="Lampan blinkar")
    case.category.template_title_sv = "Snöröjning behövs"
    case.category.save()
    page = client.get(f"/track/{tracking_link_issue(case=case)}/").content.decode()
    assert f"{case.category.name_sv}: Lampan blinkar" in page  # its own title
    type(case).objects.filter(pk=case.pk).update(title="Snöröjning behövs")
    page = client.get(f"/track/{tracking_link_issue(case=case)}/").content.decode()
    assert "Snöröjning behövs" not in page  # a Swedish template title, in any language


def test_an_unknown_link_is_not_found(client):
    assert client.get("/track/not-a-real-token-at-all-xxxxxxxx/").status_code == 404


def test_not_fixed_reopens_the_case(client):
    case = resolved_case()
    url = f"/track/{tracking_link_issue(case=case)}/"
    assert "Inte åtgärdat?" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Fortfarande halt"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "reopened"


def test_reopening_without_a_reason_opens_the_answer_at_the_form_with_an_alert(client):
    case = resolved_case()
    page = client.post(f"/track/{tracking_link_issue(case=case)}/", {"reason": ""})
    text = page.content.decode()
    assert 'action="#not-fixed"' in text and 'id="not-fixed"' in text
    assert text.index('role="alert"') > text.index('id="not-fixed"')


def test_reopening_without_a_reason_says_so_next_to_the_field(client):
    case = resolved_case()
    url = f"/track/{tracking_link_issue(case=case)}/"
    page = client.post(url, {"reason": ""}).content.decode()
    assert 'class="errorlist' in page
    assert Case.objects.get(pk=case.pk).status == "resolved"


def look_up_mails():
    return Notification.objects.filter(key__startswith="tracking:")


def test_the_look_up_mails_a_new_link_only_to_the_reporter(client):
    case = case_in_status("new", reporter_email="anna@example.org")
    links_before = TrackingLink.objects.filter(case=case).count()  # the receipt's
    response = client.post("/track/", {"number": case.number, "email": "ANNA@example.org"})
    assert response.status_code == 200
    (sent,) = look_up_mails()
    assert sent.recipients == ["anna@example.org"] and "/track/" in sent.body_text
    assert TrackingLink.objects.filter(case=case).count() == links_before + 1
    assert outbox_deliver() >= 1 and mail.outbox


def test_the_look_up_answers_the_same_when_nothing_matches(client):
    case = case_in_status("new", reporter_email="anna@example.org")
    matching = client.post("/track/", {"number": case.number, "email": "anna@example.org"})
    other = client.post("/track/", {"number": case.number, "email": "eve@example.org"})
    assert look_up_mails().count() == 1
    notice = 'role="status"'
    assert notice in matching.content.decode() and notice in other.content.decode()


def test_the_look_up_checks_its_fields(client):
    page = client.post("/track/", {"number": "123", "email": "nope"}).content.decode()
    assert page.count('class="errorlist') == 2
    assert outbox_deliver() == 0


def test_a_refused_look_up_says_so_first_and_links_to_its_fields(client):
    page = client.post("/track/", {"number": "", "email": "inte-en-adress"}).content.decode()
    assert "<title>Fel: " in page
    assert 'id="form-errors" autofocus' in page and 'href="#id_email"' in page
    assert 'autocomplete="email"' in page
