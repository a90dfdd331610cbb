"""Open311 GeoReport v2: the systems allowed to post service requests, and
what each of them posted.

Reading (services, requests, updates) is public and needs no key; posting a
service request needs an ``ApiKey``, issued in the admin to one outside
system (FixMyStreet, a city app, a partner's CRM) so that every case that
came in through Open311 can be traced to the system that sent it, and one
system's access can be withdrawn without touching the others'.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key one outside system sends as ``api_key`` when it posts requests.

    Only a SHA-256 digest of the key is stored: a copy of the database (a
    backup, a test restore) gives nobody the right to post. The administrator
    sees the key once, when it is issued; afterwards only its first characters
    (``prefix``) identify it, enough to tell keys apart in a conversation.
    """

    name = models.CharField(_("system"), max_length=120, help_text=_("Who uses this key."))
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Whom to ask about this system: a person, an e-mail address, a phone."),
    )
    prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to refuse this key from now on.")
    )
    created_at = models.DateTimeField(_("issued at"), editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name", "created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Submission(models.Model):
    """A case that an outside system posted through Open311.

    Keeps what GeoReport carries and a case does not: which system sent it,
    the ``media_url`` it gave (a link to a photo held elsewhere, which is
    shown again in ``media_url`` when the request is read), and a ``token``,
    the spec's opaque handle for a submitted request (``tokens/{token}``).
    """

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="open311_submission",
    )
    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT, related_name="submissions"
    )
    token = models.CharField(_("token"), max_length=32, unique=True, editable=False)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.token
