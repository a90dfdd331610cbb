"""The knowledge base over the API, for staff only."""

import pytest

from geocases.knowledge.services import article_save
from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, UserFactory, case_in_status

pytestmark = pytest.mark.django_db


def test_agents_write_search_and_read_articles_with_history(agent):
    CategoryFactory(code="snow")
    created = agent.post(
        "/api/v1/articles/",
        {
            "title": "Manus: halka",
            "body": "Fråga var det är halt.",
            "kind": "script",
            "categories": ["snow"],
            "checklist": ["Fråga om olycka"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    article_id = created.json()["id"]
    changed = agent.put(
        f"/api/v1/articles/{article_id}/",
        {
            "title": "Manus: halka",
            "body": "Fråga var och när.",
            "kind": "script",
            "categories": ["snow"],
            "checklist": ["Fråga om olycka"],
        },
        format="json",
    )
    assert changed.json()["version"] == 2

    found = agent.get("/api/v1/articles/", {"q": "halkigt", "category": "snow"}).json()
    assert [a["title"] for a in found] == ["Manus: halka"]
    detail = agent.get(f"/api/v1/articles/{article_id}/").json()
    assert detail["history"][0]["body"] == "Fråga var det är halt."
    assert detail["items"][0]["text"] == "Fråga om olycka"


def test_bad_articles_and_outsiders_are_refused(agent, anonymous, contractor):
    response = agent.post("/api/v1/articles/", {"title": "", "kind": "poem"}, format="json")
    assert response.status_code == 400
    assert {"title", "kind"} <= set(error_fields(response))
    assert anonymous.get("/api/v1/articles/").status_code == 401
    response = contractor.post("/api/v1/articles/", {"title": "x"}, format="json")
    assert response.status_code == 403  # the matrix: only customer service writes
    assert contractor.get("/api/v1/articles/").status_code == 200


def test_ticking_a_checklist_on_a_case(agent):
    category = CategoryFactory()
    article = article_save(
        user=UserFactory(role="agent"), title="K", categories=[category], checklist=["A"]
    )
    case = case_in_status("new", category=category)
    item = article.items.get()
    response = agent.post(
        f"/api/v1/cases/{case.number}/checklist/", {"item": item.pk}, format="json"
    )
    assert response.json() == {"changed": True, "ticked": [item.pk]}
    response = agent.post(
        f"/api/v1/cases/{case.number}/checklist/", {"item": item.pk, "ticked": False}, format="json"
    )
    assert response.json() == {"changed": True, "ticked": []}
