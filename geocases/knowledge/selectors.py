"""Reading the knowledge base: search, a category's articles, history."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Prefetch, QuerySet

from geocases.categories.models import Category
from geocases.knowledge.models import Article, ArticleVersion, ChecklistItem


def _articles(published_only: bool) -> QuerySet[Article]:
    articles = Article.objects.prefetch_related(
        "categories",
        Prefetch("items", queryset=ChecklistItem.objects.filter(is_active=True).order_by("order")),
    )
    return articles.filter(is_published=True) if published_only else articles


def article_search(
    *, query: str = "", category: Category | None = None, published_only: bool = True
) -> QuerySet[Article]:
    """Articles matching the words (Swedish stemming, best first) and/or a category."""
    articles = _articles(published_only)
    if category is not None:
        articles = articles.filter(categories=category)
    if query.strip():
        words = SearchQuery(query, config="swedish", search_type="websearch")
        return (
            articles.filter(search_vector=words)
            .annotate(rank=SearchRank(F("search_vector"), words))
            .order_by("-rank", "title")
        )
    return articles.order_by("title")


def article_history(*, article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("edited_by").order_by("-version")
