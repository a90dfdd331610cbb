"""Data-subject requests (GDPR art. 15 and 17): what was asked, by whom,
and what was done — which cases were erased and which kept, and why.

The record names the person only by a hash of the e-mail address or phone
number asked for (and a masked hint for people to recognise it), so the
log of an erasure does not itself keep what was erased.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access: export everything held (art. 15)")
    ERASURE = "erasure", _("erasure (art. 17)")


class DataSubjectRequest(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    subject_hint = models.CharField(_("person (masked)"), max_length=200)
    subject_hash = models.CharField(_("person (hash)"), max_length=64, db_index=True)
    note = models.TextField(_("note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"))
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_hint} {self.handled_at:%Y-%m-%d}"
