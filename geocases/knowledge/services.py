"""Writing the knowledge base, and ticking checklists on cases."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.accounts.access import Action, user_may
from geocases.cases.actors import Actor
from geocases.cases.models import Case, EventKind
from geocases.cases.services.history import event_record
from geocases.cases.services.transitions import actor_may_work_on, case_lock
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.knowledge.models import Article, ArticleKind, ArticleVersion, ChecklistItem


def _editor_check(user) -> None:
    if not user_may(user, Action.KNOWLEDGE_WRITE):
        raise ApplicationError(
            _("Only customer service, handlers and administrators edit articles.")
        )


@transaction.atomic
def article_save(
    *,
    user,
    article: Article | None = None,
    title: str,
    body: str = "",
    kind: str = ArticleKind.FACTS,
    categories: Iterable[Category] = (),
    checklist: list[str] | None = None,
    is_published: bool = True,
) -> Article:
    """Create an article, or change one keeping the previous text as a version.

    ``checklist``: the items in order. Items whose text is unchanged keep their
    ticks on cases; removed items are retired, not deleted."""
    _editor_check(user)
    title = title.strip()
    if not title:
        raise ApplicationError.for_field("title", _("Give the article a title."))
    if kind not in ArticleKind.values:
        raise ApplicationError.for_field("kind", _("Unknown kind of article."))
    items = [text.strip() for text in (checklist or []) if text.strip()]
    if any(len(text) > 300 for text in items):
        raise ApplicationError.for_field(
            "checklist", _("A checklist item may be at most 300 characters.")
        )
    now = timezone.now()
    if article is None:
        article = Article.objects.create(
            title=title,
            body=body,
            kind=kind,
            is_published=is_published,
            updated_at=now,
            updated_by=user,
        )
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        ArticleVersion.objects.create(
            article=article,
            version=article.version,
            title=article.title,
            body=article.body,
            checklist=list(article.items.filter(is_active=True).values_list("text", flat=True)),
            edited_at=article.updated_at,
            edited_by=article.updated_by,
        )
        article.title, article.body, article.kind = title, body, kind
        article.is_published, article.updated_at, article.updated_by = is_published, now, user
        article.version += 1
        article.save()
    article.categories.set(categories)
    if checklist is not None:
        _checklist_set(article, items)
    return article


def _checklist_set(article: Article, texts: list[str]) -> None:
    existing = {item.text: item for item in article.items.all()}
    for order, text in enumerate(texts):
        item = existing.pop(text, None)
        if item is None:
            ChecklistItem.objects.create(article=article, text=text, order=order)
        else:
            item.order, item.is_active = order, True
            item.save(update_fields=["order", "is_active"])
    for item in existing.values():
        if item.ticks.exists():
            item.is_active = False
            item.save(update_fields=["is_active"])
        else:
            item.delete()


@transaction.atomic
def checklist_tick(*, case: Case, item: ChecklistItem, actor: Actor, ticked: bool = True) -> bool:
    """Tick (or untick) a checklist item on a case; the history says who.
    Returns whether anything changed."""
    if actor.user is None:
        raise ApplicationError(_("Only staff tick checklists."))
    locked = case_lock(case)
    if not actor_may_work_on(locked, actor):
        raise ApplicationError(_("This case is the responsibility of another unit."))
    if not item.is_active or not item.article.categories.filter(pk=locked.category_id).exists():
        raise ApplicationError.for_field(
            "item", _("This checklist does not belong to the case's category.")
        )
    existing = locked.ticks.filter(item=item).first()
    if ticked == (existing is not None):
        return False
    now = timezone.now()
    if ticked:
        locked.ticks.create(item=item, ticked_at=now, ticked_by=actor.user)
    else:
        existing.delete()
    event_record(
        case=locked,
        actor=actor,
        kind=EventKind.CHECKLIST,
        field=item.article.title[:60],
        new={"item": item.text, "ticked": ticked},
        public=False,
        at=now,
    )
    return True
