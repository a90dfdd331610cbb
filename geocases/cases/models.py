"""Cases, their history, numbers and attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _

from geocases.cases.lifecycle import OPEN_STATUSES, Status
from geocases.cases.querysets import CaseQuerySet
from geocases.categories.models import Priority


def _regexp_replace(source, pattern: str, replacement: str, flags: str = "") -> models.Func:
    arguments = [source, models.Value(pattern), models.Value(replacement)]
    if flags:
        arguments.append(models.Value(flags))
    return models.Func(*arguments, function="regexp_replace", output_field=models.CharField())


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web")
    VISIT = "visit", _("Visit")
    API = "api", _("API")


class RoutingFlag(models.TextChoices):
    CONFIRM = "confirm", _("Confirm: near another contract's boundary")
    OUTSIDE_COVERAGE = "outside_coverage", _("Outside coverage: no service area")


class Case(models.Model):
    """One contact's matter, from registration to closing.

    The ``number`` is what people say on the phone; ``id`` never leaves the
    system. The place is a point or a polygon (or nothing) in one column, so
    that every spatial question asks one index.
    """

    number = models.CharField(_("case number"), max_length=11, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )

    location = models.GeometryField(_("place"), srid=4326, null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The district the place lies in, kept by a database trigger whenever the
    # place changes: statistics per district read it instead of joining
    # every case with the district polygons.
    district = models.ForeignKey(
        "areas.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        editable=False,
    )

    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    # Personal data is erased once the category's retention period after
    # closing has run (geocases.privacy), unless a reason to keep it is given.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    retention_hold = models.CharField(
        _("kept beyond retention because"),
        max_length=300,
        blank=True,
        db_default="",  # bulk loads (COPY) may leave it out
        help_text=_("E.g. a claim for damages under way; leave empty to erase on time."),
    )
    reporter_language = models.CharField(
        _("reporter's language"), max_length=2, choices=settings.LANGUAGES, default="sv"
    )

    responsible_unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for_cases",
    )

    # The routing decision and why (see geocases.routing): the rule applied, the
    # chosen service area, the other candidates. A manual forward locks it, so
    # automatic re-routing never undoes what an agent decided.
    routing = models.JSONField(_("routing"), default=dict, blank=True, editable=False)
    routing_area = models.ForeignKey(
        "areas.ServiceArea",
        verbose_name=_("routed by service area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routed_cases",
        editable=False,
    )
    routing_flag = models.CharField(
        _("routing flag"), max_length=20, choices=RoutingFlag.choices, blank=True, editable=False
    )
    routing_locked = models.BooleanField(_("routed by hand"), default=False, editable=False)

    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at_first_contact = models.BooleanField(_("resolved at first contact"), default=False)
    parked_until = models.DateField(_("parked until"), null=True, blank=True)
    status_before_parking = models.CharField(max_length=20, choices=Status.choices, blank=True)
    parked_at = models.DateTimeField(_("parked at"), null=True, blank=True, editable=False)
    overdue_since = models.DateTimeField(
        _("overdue since"), null=True, blank=True, editable=False, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    acknowledge_by = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    feedback_by = models.DateTimeField(_("give feedback by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    feedback_given_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_at = models.DateTimeField(_("registered at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), db_index=True)

    # Maintained by PostgreSQL itself, so no code path can forget it.
    # The month of registration in the city's time zone (``insights_month``,
    # which bakes in TIME_ZONE): statistics group by it without converting
    # every case's time.
    created_month = models.GeneratedField(
        expression=models.Func(
            models.F("created_at"), function="insights_month", output_field=models.DateField()
        ),
        output_field=models.DateField(),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("number", "title", "description", "address", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The phone number in national form, digits only: "+46 70-123 45 67",
    # "0046701234567" and "070-123 45 67" all become "0701234567".
    reporter_phone_digits = models.GeneratedField(
        expression=_regexp_replace(
            _regexp_replace(
                _regexp_replace(Coalesce("reporter_phone", models.Value("")), "[^0-9]", "", "g"),
                "^00",
                "",
            ),
            "^46",
            "0",
        ),
        output_field=models.CharField(max_length=40),
        db_persist=True,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="case_search_vector"),
            models.Index(Lower("reporter_email"), name="case_reporter_email_lower"),
            models.Index(fields=["reporter_phone_digits"], name="case_reporter_phone_digits"),
            models.Index(fields=["status", "category"], name="case_status_category"),
            models.Index(fields=["responsible_unit", "status"], name="case_unit_status"),
            # Planners' statistics read a period's cases from this index alone
            # (geocases.insights.statistics), never the wide table; a parked
            # case's clocks stopped when it was parked (``parked_at``).
            models.Index(
                fields=["created_at"],
                include=[
                    "created_month",
                    "status",
                    "channel",
                    "category",
                    "responsible_unit",
                    "district",
                    "resolved_at_first_contact",
                    "acknowledge_by",
                    "acknowledged_at",
                    "feedback_by",
                    "feedback_given_at",
                    "resolve_by",
                    "resolved_at",
                    "parked_at",
                ],
                name="case_statistics",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="case_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="case_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{4}-[0-9]{6}$"), name="case_number_format"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PARKED) | Q(parked_until__isnull=False),
                name="case_parked_has_follow_up",
            ),
            models.CheckConstraint(
                condition=Q(routing_flag__in=["", *RoutingFlag.values]),
                name="case_routing_flag_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def public_title(self) -> str:
        """The title as anyone may read it, in their language: the category
        template's, which nobody typed; a title staff typed during a call is
        free text (it may name the caller), so the public reads the
        category's name instead."""
        if self.title and self.title in self._template_titles:
            return self.category.template_title
        return self.category.name

    @property
    def own_title(self) -> str:
        """The title, unless it only repeats its category (the template's
        title or the category's name, in either language): what a reader
        who sees the category's name learns from it."""
        category = self.category
        if self.title in (*self._template_titles, category.name_sv, category.name_en):
            return ""
        return self.title

    @property
    def _template_titles(self) -> tuple[str, str]:
        """The category template's title in both languages."""
        return (self.category.template_title_sv, self.category.template_title_en)

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email or self.reporter_phone)


class EventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    STATUS = "status", _("Status changed")
    ASSIGNMENT = "assignment", _("Responsibility changed")
    FIELD = "field", _("Field changed")
    PLACE = "place", _("Place changed")
    CATEGORY = "category", _("Category changed")
    NOTE = "note", _("Internal note")
    PUBLIC_UPDATE = "public_update", _("Update to the citizen")
    ATTACHMENT = "attachment", _("Attachment added")
    MERGED_INTO = "merged_into", _("Merged into another case")
    MERGED_FROM = "merged_from", _("Duplicate merged in")
    CHECKLIST = "checklist", _("Checklist ticked")
    EMAIL = "email", _("E-mail received")


class CaseEvent(models.Model):
    """One entry of a case's history. Append-only: a database trigger refuses
    updates and deletes (anonymisation, issue 10, is the one sanctioned
    exception and must say so to the trigger)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_kind = models.CharField(_("actor"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    field = models.CharField(_("field"), max_length=60, blank=True)
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="case_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.field}"

    @property
    def headline(self) -> str:
        """What happened, in words: a status change names the status the
        case went to ("Status: Resolved"), a change of hands who has it now,
        not only that they changed."""
        if self.kind == EventKind.STATUS and self.new_value in Status.values:
            return _("Status: %(status)s") % {"status": Status(self.new_value).label}
        if self.kind == EventKind.ASSIGNMENT and (self.new_value or {}).get("name"):
            return _("Responsible: %(name)s") % {"name": self.new_value["name"]}
        return self.get_kind_display()


class Attachment(models.Model):
    """A photo on a case, stored re-encoded without its metadata (GPS included)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True, editable=False)
    image = models.FileField(_("image"), upload_to="cases/", max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to="cases/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.token
