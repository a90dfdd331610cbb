"""Writing the audit log. Entries are only ever added."""

from __future__ import annotations

from django.utils import timezone

from geocases.audit.models import AuditAction, AuditEntry


def audit_record(
    *,
    actor,
    action: AuditAction,
    case=None,
    via: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """One entry: ``actor`` (a user, or None for the system) did ``action``
    on ``case`` (if any) through ``via`` (a page or endpoint name)."""
    person = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=person,
        actor_name=(person.get_full_name() or person.get_username()) if person else "system",
        action=action,
        case=case,
        case_number=case.number if case is not None else "",
        via=via[:100],
        detail=detail or {},
    )


def audit_case_viewed(*, user, case, via: str) -> AuditEntry:
    """Staff opened ``case`` with its personal data (reporter, free text,
    photos, notes)."""
    return audit_record(actor=user, action=AuditAction.CASE_VIEWED, case=case, via=via)


def audit_cases_searched(
    *, user, text: str, via: str, found: list[str] | None = None
) -> AuditEntry | None:
    """Staff looked for a person's cases by their e-mail address or phone
    number (what cases someone has is their personal data): written with a
    hint of the identifier, not the identifier, and the cases listed. Other
    searches (a number, words) are not written."""
    from geocases.cases.numbers import phone_digits

    text = text.strip()
    if "@" in text:
        name, _at, domain = text.partition("@")
        hint = f"{name[:1]}***@{domain}"
    elif len(phone_digits(text)) >= 6:
        hint = f"…{phone_digits(text)[-2:]}"
    else:
        return None
    return audit_record(
        actor=user,
        action=AuditAction.CASES_SEARCHED,
        via=via,
        detail={"searched": hint, **({"found": found} if found is not None else {})},
    )
