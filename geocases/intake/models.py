"""Messages received at the service address. Each is kept as it came (the
raw RFC 822 file) next to what became of it: a new case, an addition to the
case it quoted, or nothing (an automatic reply or a bounce, which must never
start a mail loop). Its Message-ID makes each one count once, however often
a mailbox is read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    CREATED = "created", _("new case")
    ADDED = "added", _("added to a case")
    IGNORED = "ignored", _("ignored")


class InboundEmail(models.Model):
    message_id = models.CharField(_("Message-ID"), max_length=300, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
        verbose_name=_("case"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("why ignored"), max_length=200, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_email = models.CharField(_("sender's address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    original = models.FileField(_("original message"), upload_to="email/", max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="inbound_email_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="ignored") | models.Q(case__isnull=False),
                name="inbound_email_case_unless_ignored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_email}: {self.subject}"


class InboundFile(models.Model):
    """An attachment that is not a photo (a PDF, a document), kept as sent,
    for staff only. Photos become the case's photos instead, re-encoded
    without their metadata."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="email/", max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
