"""Retention: each category keeps personal data for a period after a case
is closed (``Category.retention_days``); then the case is anonymised
(``anonymise.cases_anonymise``) and stays for statistics. Runs daily
(``tasks.retention_run_task``) and reports what it did, in the log and
in the audit log. A case with a reason to keep it (``retention_hold``)
waits until the reason is removed."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import DurationField, ExpressionWrapper, F
from django.utils import timezone

from geocases.audit.models import AuditAction
from geocases.audit.services import audit_record
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.privacy.anonymise import AnonymiseReport, cases_anonymise

logger = logging.getLogger(__name__)

BATCH = 1000


def cases_past_retention(*, now: dt.datetime):
    """Closed cases whose category's retention period has run out and that
    are neither anonymised yet nor held."""
    return (
        Case.objects.filter(
            status=Status.CLOSED,
            closed_at__isnull=False,
            anonymised_at__isnull=True,
            retention_hold="",
        )
        .alias(
            kept=ExpressionWrapper(
                F("category__retention_days") * dt.timedelta(days=1), output_field=DurationField()
            )
        )
        .filter(closed_at__lt=now - F("kept"))
    )


def retention_run(*, now: dt.datetime | None = None) -> AnonymiseReport:
    """Anonymise every case past its retention, in batches; report it."""
    now = now or timezone.now()
    report = AnonymiseReport()
    while True:
        ids = list(
            cases_past_retention(now=now).order_by("id").values_list("id", flat=True)[:BATCH]
        )
        if not ids:
            break
        report.add(cases_anonymise(ids=ids))
    audit_record(actor=None, action=AuditAction.RETENTION_RUN, detail=report.as_dict())
    logger.info("retention: %s", report.as_dict())
    return report
