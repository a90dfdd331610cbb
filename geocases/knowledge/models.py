"""The knowledge base: call scripts, checklists and facts agents read while a
citizen waits on the phone, shown beside the form for the chosen category.

Every edit keeps the previous text as an ``ArticleVersion``, so what an agent
was told to say on a given day can be shown later. A checklist's items can be
ticked on a case; each tick is part of the case's history.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    SCRIPT = "script", _("Call script")
    CHECKLIST = "checklist", _("Checklist")
    FACTS = "facts", _("Facts")


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("categories"), related_name="articles", blank=True
    )
    is_published = models.BooleanField(_("published"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Swedish stemming: "plogning" finds "plogad"; the title weighs more.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="swedish")
        + SearchVector("body", weight="B", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_vector"], name="article_search_vector")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ArticleKind.values), name="article_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """An article as it read before an edit."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    edited_at = models.DateTimeField(_("edited at"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="article_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class ChecklistItem(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("text"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["article", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ChecklistTick(models.Model):
    """An item ticked on a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ticks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="ticks")
    ticked_at = models.DateTimeField(_("ticked at"))
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="checklist_tick_once")]

    def __str__(self) -> str:
        return f"{self.case} ✓ {self.item}"
