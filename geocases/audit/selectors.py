"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from geocases.audit.models import AuditEntry


def audit_entries_for_case(*, case) -> QuerySet[AuditEntry]:
    """Everyone who opened the case's personal data, newest first."""
    return AuditEntry.objects.filter(case=case).order_by("-at", "-id")
