"""A citizen's private link to follow a case.

Citizens have no accounts: whoever holds the link may see the case's public
history and say "this is not fixed". The link carries 192 random bits; only
its SHA-256 is stored, so a database leak does not hand out working links,
and a link can be revoked (say, when it was forwarded by mistake).
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TrackingLink(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tracking_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Given to someone following a case another reported: the case's status
    # and dates only, not the words staff wrote to the reporter, and no
    # reopening; ``follower`` (when they gave an address) may stop the mails.
    for_follower = models.BooleanField(default=False)
    follower = models.ForeignKey(
        "tracking.Follower", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")

    def __str__(self) -> str:
        return f"{self.case.number} ({self.token_hash[:8]}…)"


class Follower(models.Model):
    """Someone who found their problem already reported and follows that
    case instead of reporting it again: once they confirmed from the mail
    asking them, told by e-mail, in their language, when its status
    changes (never the reporter's address, nor words staff wrote to the
    reporter). Personal data: erased with the case's other personal data,
    and found by a data-subject request for the address."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, default="sv")
    created_at = models.DateTimeField(_("created at"))
    # Mails about the case go only to an address whose owner confirmed, from
    # the link mailed to it: anyone may type any address into a form.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint("case", Lower("email"), name="follower_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.email}"
