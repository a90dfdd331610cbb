"""Runs of bulk re-routing, so that planners see that a new contract map has
been applied to the open cases, how far it got, and what it changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RerouteRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    SUPERSEDED = "superseded", _("superseded by a later run")
    FAILED = "failed", _("failed")


class RerouteRun(models.Model):
    """One bulk re-routing of the open cases, requested after service areas
    changed (an import, an edit in the admin) or from the command line.

    Several edits in a row each request a run; a queued run that finds a
    newer one waiting steps aside (*superseded*), so a burst of edits costs
    one pass over the cases, not one per edit.
    """

    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RerouteRunStatus.choices,
        default=RerouteRunStatus.QUEUED,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    batches_done = models.PositiveIntegerField(_("batches done"), default=0)
    batches_total = models.PositiveIntegerField(_("batches in all"), default=0)
    checked = models.PositiveIntegerField(_("open cases checked"), default=0)
    changed = models.PositiveIntegerField(_("cases given a new responsible unit"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("re-routing run")
        verbose_name_plural = _("re-routing runs")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.reason}"

    @property
    def percent_done(self) -> int:
        if self.status == RerouteRunStatus.DONE:
            return 100
        return int(100 * self.batches_done / self.batches_total) if self.batches_total else 0
