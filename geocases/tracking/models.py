"""A citizen's private link to follow a case.

Citizens have no accounts: whoever holds the link may see the case's public
history and say "this is not fixed". The link carries 192 random bits; only
its SHA-256 is stored, so a database leak does not hand out working links,
and a link can be revoked (say, when it was forwarded by mistake).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackingLink(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tracking_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")

    def __str__(self) -> str:
        return f"{self.case.number} ({self.token_hash[:8]}…)"
