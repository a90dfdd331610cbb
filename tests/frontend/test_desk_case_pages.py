"""/desk/queues/ and /desk/cases/<number>/: queues, notes, forwarding, merging, checklists."""

import pytest

from geocases.cases.models import Case
from geocases.knowledge.services import article_save
from tests.factories import CategoryFactory, ContractorFactory, case_in_status

pytestmark = pytest.mark.django_db


def test_the_queues_count_and_list_cases(client, agent):
    mine = case_in_status("assigned")
    Case.objects.filter(pk=mine.pk).update(responsible_user=agent)
    page = client.get("/desk/queues/mine/").content.decode()
    assert mine.number in page and "(1)" in page
    assert client.get("/desk/queues/nonsense/").status_code == 404


def test_notes_and_public_updates_are_told_apart(client, agent):
    case = case_in_status("assigned")
    url = f"/desk/cases/{case.number}/"
    client.post(url, {"action": "note", "text": "Intern anteckning"})
    client.post(url, {"action": "note", "text": "Vi åtgärdar i dag", "public": "on"})
    assert list(
        case.events.filter(kind__in=["note", "public_update"])
        .values_list("kind", "is_public")
        .order_by("at")
    ) == [("note", False), ("public_update", True)]
    page = client.get(url).content.decode()
    assert "Intern anteckning" in page and "(intern)" in page


def test_forward_to_a_unit_and_merge_a_duplicate(client, agent):
    case = case_in_status("assigned")
    other = case_in_status("assigned")
    contractor = ContractorFactory(name="Plogbolaget AB")
    client.post(f"/desk/cases/{case.number}/", {"action": "forward", "unit": contractor.pk})
    assert Case.objects.get(pk=case.pk).responsible_unit == contractor
    client.post(f"/desk/cases/{case.number}/", {"action": "merge", "into": other.number})
    merged = Case.objects.get(pk=case.pk)
    assert merged.status == "closed" and merged.merged_into == other


def test_merging_into_itself_or_nothing_is_refused(client, agent):
    case = case_in_status("assigned")
    page = client.post(f"/desk/cases/{case.number}/", {"action": "merge", "into": case.number})
    assert 'role="alert"' in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == "assigned"


def test_a_checklist_is_ticked_on_the_case_page(client, agent):
    category = CategoryFactory()
    article = article_save(user=agent, title="Kontroll", categories=[category], checklist=["A"])
    case = case_in_status("new", category=category)
    item = article.items.get()
    client.post(f"/desk/cases/{case.number}/", {"action": "tick", "item": item.pk, "ticked": "1"})
    assert case.ticks.filter(item=item).exists()
    assert 'aria-pressed="true"' in client.get(f"/desk/cases/{case.number}/").content.decode()


def test_the_case_page_parks_resolves_closes_and_reopens_as_the_lifecycle_allows(client, agent):
    case = case_in_status("assigned")
    url = f"/desk/cases/{case.number}/"
    page = client.get(url).content.decode()
    assert '<option value="parked">' in page and '<option value="closed">' not in page

    # Parked needs its date: refused in words, nothing written.
    client.post(url, {"action": "status", "to": "parked"})
    assert Case.objects.get(pk=case.pk).status == "assigned"
    client.post(url, {"action": "status", "to": "parked", "follow_up_date": "2099-01-01"})
    case.refresh_from_db()
    assert (case.status, str(case.parked_until)) == ("parked", "2099-01-01")
    assert '<option value="assigned">' in client.get(url).content.decode()  # back where it was
    client.post(url, {"action": "status", "to": "assigned"})

    for to, given in (
        ("acknowledged", {}),
        ("feedback_given", {"message": "Vi kommer i kväll"}),
        ("resolved", {"resolution": "Plogat"}),
        ("closed", {}),
        ("reopened", {"reason": "Det är halt igen"}),
    ):
        client.post(url, {"action": "status", "to": to, **given})
        assert Case.objects.get(pk=case.pk).status == to, to
    # A status the table does not offer from here is refused.
    client.post(url, {"action": "status", "to": "resolved", "resolution": "x"})
    assert Case.objects.get(pk=case.pk).status == "reopened"


def test_the_history_says_who_a_case_was_forwarded_to(client, agent):
    case = case_in_status("assigned")
    roads = ContractorFactory(name="Vägbolaget AB")
    url = f"/desk/cases/{case.number}/"
    client.post(url, {"action": "forward", "unit": roads.pk})
    assert "Ansvarig: Vägbolaget AB" in client.get(url).content.decode()


def test_the_case_page_shows_the_answers_priority_and_why_it_is_routed_there(client, agent):
    snow = CategoryFactory(code="snow")
    snow.fields.create(
        code="surface",
        label_sv="Var?",
        label_en="Where?",
        datatype="singlevaluelist",
        choices=[{"key": "footpath", "name_sv": "Gångbana", "name_en": "Footpath"}],
        order=1,
    )
    case = case_in_status("assigned", category=snow, extra={"surface": "footpath"})
    page = client.get(f"/desk/cases/{case.number}/").content.decode()
    assert "<dt>Var?</dt><dd>Gångbana</dd>" in page
    assert "<dt>Prioritet</dt>" in page
    assert "kategorins standard" in page  # routed by default: no service area covers it


def test_a_case_late_to_be_acknowledged_is_marked_overdue_in_the_queues(client, agent):
    import datetime as dt

    from django.utils import timezone

    case = case_in_status("assigned")
    past = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(
        responsible_user=agent, acknowledge_by=past, resolve_by=past + dt.timedelta(days=9)
    )
    page = client.get("/desk/queues/mine/").content.decode()
    row = page.split(f"/desk/cases/{case.number}/")[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row  # by its first deadline, not only the last
    assert "(försenat)" in page
