"""The knowledge base: search with Swedish stemming, versions, checklists."""

import pytest

from geocases.core.errors import ApplicationError
from geocases.knowledge.models import ChecklistItem
from geocases.knowledge.selectors import article_history, article_search
from geocases.knowledge.services import article_save, checklist_tick
from tests.factories import CategoryFactory, UserFactory, case_in_status, staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(role="agent")


def test_search_finds_inflected_words_title_first(agent):
    article_save(user=agent, title="Halka på gångbanor", body="Fråga var det är halt.")
    article_save(user=agent, title="Sophämtning", body="Om plogningen har försenat hämtningen.")
    article_save(user=agent, title="Plogning", body="Snö plogas inom 8 timmar.")

    titles = [a.title for a in article_search(query="plogningen")]

    assert titles == ["Plogning", "Sophämtning"]  # stemmed; the title outranks the text
    assert [a.title for a in article_search(query="halt")] == ["Halka på gångbanor"]


def test_a_category_shows_its_published_articles(agent):
    snow = CategoryFactory()
    article_save(user=agent, title="Manus snö", kind="script", categories=[snow])
    article_save(user=agent, title="Utkast", categories=[snow], is_published=False)
    article_save(user=agent, title="Annat")
    assert [a.title for a in article_search(category=snow)] == ["Manus snö"]


def test_every_edit_keeps_the_previous_version(agent):
    article = article_save(
        user=agent, title="Manus", body="Version ett", checklist=["Fråga adress"]
    )
    other = UserFactory(role="handler")
    article = article_save(
        user=other,
        article=article,
        title="Manus",
        body="Version två",
        checklist=["Fråga adress", "Fråga telefon"],
    )
    assert article.version == 2 and article.updated_by == other
    (previous,) = article_history(article=article)
    assert (previous.version, previous.body, previous.checklist) == (
        1,
        "Version ett",
        ["Fråga adress"],
    )
    assert previous.edited_by == agent


def test_only_desk_staff_edit_and_a_title_is_needed(agent):
    with pytest.raises(ApplicationError, match="Only customer service"):
        article_save(user=UserFactory(role="contractor"), title="x")
    with pytest.raises(ApplicationError) as error:
        article_save(user=agent, title="  ")
    assert "title" in error.value.fields


def test_a_checklist_is_ticked_on_the_case_with_history(agent):
    category = CategoryFactory()
    article = article_save(
        user=agent,
        title="Kontroll",
        kind="checklist",
        categories=[category],
        checklist=["Fråga om det är halt", "Fråga om olycka"],
    )
    case = case_in_status("new", category=category)
    item = article.items.get(order=0)
    actor = staff_actor("agent")

    assert checklist_tick(case=case, item=item, actor=actor) is True
    assert checklist_tick(case=case, item=item, actor=actor) is False  # once
    assert case.ticks.count() == 1
    event = case.events.get(kind="checklist")
    assert event.new_value == {"item": "Fråga om det är halt", "ticked": True}

    checklist_tick(case=case, item=item, actor=actor, ticked=False)
    assert not case.ticks.exists()


def test_a_ticked_item_removed_from_the_list_is_retired_not_deleted(agent):
    category = CategoryFactory()
    article = article_save(user=agent, title="K", categories=[category], checklist=["A", "B"])
    case = case_in_status("new", category=category)
    checklist_tick(case=case, item=article.items.get(text="A"), actor=staff_actor("agent"))
    article_save(user=agent, article=article, title="K", categories=[category], checklist=["B"])
    assert ChecklistItem.objects.get(text="A").is_active is False
    assert case.ticks.get().item.text == "A"


def test_a_checklist_of_another_category_cannot_be_ticked(agent):
    article = article_save(user=agent, title="K", categories=[CategoryFactory()], checklist=["A"])
    case = case_in_status("new")
    with pytest.raises(ApplicationError):
        checklist_tick(case=case, item=article.items.get(), actor=staff_actor("agent"))
    assert not case.ticks.exists()
