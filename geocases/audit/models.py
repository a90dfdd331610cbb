"""The audit log: who opened whose personal data, and what was exported,
erased or anonymised (GDPR art. 5(2), 30, 32).

Append-only: a database trigger refuses every UPDATE and DELETE, so no one
can edit or remove an entry through the application, the administration or
a shell (only the database owner, by dropping the trigger). Entries name
the case by id and number and the person by id and name as they were, so
they stay readable whatever happens to the case or the account later.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CASE_VIEWED = "case_viewed", _("opened a case's personal data")
    ATTACHMENT_VIEWED = "attachment_viewed", _("opened a photo or file")
    SUBJECT_EXPORTED = "subject_exported", _("exported what is held about a person")
    SUBJECT_ERASED = "subject_erased", _("erased a person's data")
    RETENTION_RUN = "retention_run", _("anonymised cases past their retention")
    CASES_SEARCHED = "cases_searched", _("searched cases by a person's e-mail or phone")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # an account that left traces is deactivated, not deleted
        related_name="+",
    )
    actor_name = models.CharField(_("who (name)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the entry outlives anything that happens to the case
        related_name="+",
    )
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    via = models.CharField(_("where"), max_length=100, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"], name="audit_by_case"),
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["at"], name="audit_by_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.case_number}"
