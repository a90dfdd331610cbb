"""What belongs to no single domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A client's key for one write, so that sending it again (a retry, or a
    phone replaying actions queued while offline) does it only once."""

    scope = models.CharField(_("scope"), max_length=100)
    key = models.CharField(_("key"), max_length=100)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.key}"
