"""/desk/articles/: agents write the knowledge base, each edit kept."""

import pytest

from geocases.knowledge.models import Article
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_write_edit_search_and_see_the_earlier_version(client, agent):
    snow = CategoryFactory()
    response = client.post(
        "/desk/articles/new/",
        {
            "title": "Manus: halka",
            "kind": "script",
            "body": "Fråga var.",
            "checklist": "Fråga om olycka\nFråga om plats",
            "categories": [snow.pk],
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert [i.text for i in article.items.order_by("order")] == [
        "Fråga om olycka",
        "Fråga om plats",
    ]
    client.post(
        f"/desk/articles/{article.pk}/",
        {
            "title": "Manus: halka",
            "kind": "script",
            "body": "Fråga var och när.",
            "checklist": "Fråga om olycka",
            "categories": [snow.pk],
            "is_published": "on",
        },
    )
    page = client.get(f"/desk/articles/{article.pk}/").content.decode()
    assert "Version 2" in page and "Fråga var." in page  # the earlier text, kept
    assert "Manus: halka" in client.get("/desk/articles/", {"q": "halkigt"}).content.decode()


def test_a_title_is_needed(client, agent):
    page = client.post("/desk/articles/new/", {"title": "", "kind": "facts"}).content.decode()
    assert 'class="errorlist' in page and not Article.objects.exists()
