from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationUnit(models.Model):
    """Whoever can be responsible for a case: a city department or an external contractor.

    Contractors are units too, because routing, work queues, deadlines and
    permissions treat "who must act" the same way whether the people are
    employed by the city or by a company under contract. Only ``kind`` tells
    them apart, and it matters for privacy: a contractor sees its own cases and
    never another contractor's. ``parent`` lets a department have teams.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        CONTRACTOR = "contractor", _("Contractor")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    email = models.EmailField(_("functional e-mail"), blank=True)
    lead = models.ForeignKey(
        "accounts.User",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Overdue cases of the unit are escalated to them."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    handles_customer_service = models.BooleanField(
        _("customer service"),
        default=False,
        help_text=_("Receives reminders about overdue cases and the daily follow-up."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["department", "contractor"]),
                name="organisation_unit_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_contractor(self) -> bool:
        return self.kind == self.Kind.CONTRACTOR
