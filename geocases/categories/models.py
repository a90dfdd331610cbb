"""Categories ("service types"): what a case is about, and everything that follows from it.

A category is the administrators' main lever: its template pre-fills most of a
case ("mallärende"), its extra fields are asked of the reporter, its response
targets set the deadlines, its default unit catches cases no service area
covers, and its retention period decides when personal data is erased. Its
``code`` is stable because outside systems store it (it is the Open311
``service_code``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from geocases.core.i18n import translated


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class PlaceKind(models.TextChoices):
    """Which place a case of the category takes."""

    NONE = "none", _("No place")
    POINT = "point", _("A point")
    AREA = "area", _("An area")
    ANY = "any", _("A point or an area")


class FieldType(models.TextChoices):
    """Extra-field types; the values are Open311's ``datatype`` names."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE_CHOICE = "singlevaluelist", _("Single choice")
    MULTIPLE_CHOICE = "multivaluelist", _("Multiple choice")


class CategoryGroup(models.Model):
    """A heading in the category picker, and the Open311 ``group``."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category group")
        verbose_name_plural = _("category groups")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class Category(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Stable identifier used by other systems (Open311 service_code)."),
    )
    group = models.ForeignKey(
        CategoryGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="categories"
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated search words.")
    )
    place_kind = models.CharField(
        _("place"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.POINT
    )

    # A case made from the template is titled in Swedish, as its records are
    # kept; the public reads the title in their own language.
    template_title_sv = models.CharField(_("template title (Swedish)"), max_length=200, blank=True)
    template_title_en = models.CharField(_("template title (English)"), max_length=200, blank=True)
    template_description = models.TextField(_("template description"), blank=True)
    template_priority = models.CharField(
        _("template priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )

    acknowledge_within = models.DurationField(
        _("acknowledge within"), null=True, blank=True, help_text=_("In business hours.")
    )
    feedback_within = models.DurationField(
        _("give the citizen feedback within"), null=True, blank=True
    )
    resolve_within = models.DurationField(_("resolve within"), null=True, blank=True)

    default_unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        verbose_name=_("default responsible unit"),
        on_delete=models.PROTECT,
        related_name="default_for_categories",
        help_text=_("Responsible when no service area covers the place, or there is no place."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days after closing)"),
        default=730,
        validators=[MinValueValidator(1)],
        help_text=_("Personal data is anonymised this many days after the case is closed."),
    )
    is_public = models.BooleanField(
        _("shown on the public map"),
        default=True,
        help_text=_("Off for categories whose cases are private (school, care, invoices)."),
    )
    concerns_home = models.BooleanField(
        _("may concern a home"),
        default=False,
        help_text=_("Positions are coarsened on public maps and at anonymisation."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["group__order", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place_kind__in=PlaceKind.values),
                name="category_place_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(template_priority__in=Priority.values),
                name="category_template_priority_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def template_title(self) -> str:
        """The template's title in the reader's language (Swedish when there
        is no English one)."""
        return translated(self, "template_title")

    @property
    def description(self) -> str:
        return translated(self, "description")


class CategoryField(models.Model):
    """An extra question a category asks, in the shape of an Open311 attribute."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="fields"
    )
    code = models.SlugField(_("code"), max_length=60)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    help_sv = models.CharField(_("help text (Swedish)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    datatype = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choice fields: [{"key": "...", "name_sv": "...", "name_en": "..."}].'),
    )

    class Meta:
        verbose_name = _("extra field")
        verbose_name_plural = _("extra fields")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_field_code_unique"),
            models.CheckConstraint(
                condition=models.Q(datatype__in=FieldType.values),
                name="category_field_datatype_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}.{self.code}"

    def clean(self) -> None:
        # The report page, the categories API and Open311 read every choice's
        # key and names: a value of another shape must never be saved.
        problem = choices_problem(self.choices, needed=self.datatype in CHOICE_TYPES)
        if problem:
            raise ValidationError({"choices": problem})

    @property
    def label(self) -> str:
        return translated(self, "label")


CHOICE_TYPES = (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE)
CHOICE_KEYS = ("key", "name_sv", "name_en")


def choices_problem(choices, *, needed: bool) -> str | None:
    """What is wrong with an extra field's ``choices``, in words, or None.

    The shape is ``[{"key": ..., "name_sv": ..., "name_en": ...}]`` with
    texts as values, a key given and unique; a choice field needs one."""
    shape = _('Give the choices as [{"key": "...", "name_sv": "...", "name_en": "..."}].')
    if not isinstance(choices, list):
        return shape
    keys = set()
    for position, choice in enumerate(choices, start=1):
        if (
            not isinstance(choice, dict)
            or set(choice) != set(CHOICE_KEYS)
            or not all(isinstance(choice[name], str) for name in CHOICE_KEYS)
        ):
            return _("Choice %(position)d: %(shape)s") % {"position": position, "shape": shape}
        key = choice["key"].strip()
        if not key:
            return _("Choice %(position)d has no key.") % {"position": position}
        if key in keys:
            return _("The key “%(key)s” is given twice; each choice needs its own.") % {"key": key}
        keys.add(key)
    if needed and not choices:
        return _("A choice field needs at least one choice.")
    return None
