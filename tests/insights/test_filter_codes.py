"""The map filters' codes kept per process: never kept across a forgetting."""

from __future__ import annotations

import pytest

from geocases.categories.models import Category
from geocases.insights import selectors
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_codes_are_kept_until_forgotten():
    snow = CategoryFactory(code="snow")
    assert selectors.filter_ids_by_code("category", ["snow"]) == ([snow.pk], [])
    assert selectors._codes["category"][1]["snow"] == [snow.pk]
    selectors.filter_codes_clear()
    assert "category" not in selectors._codes


def test_codes_read_while_they_were_forgotten_are_not_kept(monkeypatch):
    """A rename committed in another thread while this one read the codes:
    what this one read may be from before it, so it is used once, not kept."""
    snow = CategoryFactory(code="snow")

    class ForgottenWhileRead:
        class objects:  # stands in for the model's manager
            @staticmethod
            def values_list(*fields):
                rows = list(Category.objects.values_list(*fields))
                selectors.filter_codes_clear()
                return rows

    monkeypatch.setitem(selectors._CODED, "category", ForgottenWhileRead)
    assert selectors.filter_ids_by_code("category", ["snow", "nope"]) == ([snow.pk], ["nope"])
    assert "category" not in selectors._codes
