"""Reads for data-subject requests: what an erasure would do, case by case,
for the officer to check before confirming it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from geocases.cases.models import Case
from geocases.privacy.subjects import Subject, case_erasure_hold


@dataclass(frozen=True)
class SubjectCase:
    case: Case
    found_by: str  # the identifiers that found it, in words
    keep_reason: str  # why an erasure keeps it; empty if it would be erased
    erased_before: bool
    doubt: str  # why it may be another person's case; empty if there is none

    @property
    def erasable(self) -> bool:
        return not self.keep_reason and not self.erased_before


def subject_cases_preview(*, subject: Subject) -> list[SubjectCase]:
    """The cases ``subject`` finds, each with what an erasure would do to it.

    A phone number is shared by a household and reused by operators, so a
    case found by the number alone is in doubt when its reporter gave
    another e-mail address than the request, or when the cases found name
    different reporters.
    """
    cases = list(subject.cases())
    by_email = set(
        Case.objects.by_reporter_email(subject.email).values_list("pk", flat=True)
        if subject.email
        else []
    )
    by_phone = set(Case.objects.by_reporter_phone(subject.phone).values_list("pk", flat=True))
    names = {" ".join(case.reporter_name.lower().split()) for case in cases} - {""}
    preview = []
    for case in cases:
        found_by = {
            (True, True): _("e-mail and phone"),
            (True, False): _("e-mail"),
            (False, True): _("phone"),
        }.get((case.pk in by_email, case.pk in by_phone), "")
        doubt = ""
        if case.pk in by_phone and case.pk not in by_email:
            other_email = case.reporter_email.strip().lower()
            if subject.email and other_email and other_email != subject.email:
                doubt = _(
                    "Found by the phone number alone; its reporter gave another e-mail "
                    "address (%(email)s). Is this the same person?"
                ) % {"email": case.reporter_email}
            elif len(names) > 1:
                doubt = _(
                    "Found by the phone number alone, and the cases found name different "
                    "reporters. Is this the same person?"
                )
        preview.append(
            SubjectCase(
                case=case,
                found_by=found_by,
                keep_reason=case_erasure_hold(case),
                erased_before=case.anonymised_at is not None,
                doubt=doubt,
            )
        )
    return preview
