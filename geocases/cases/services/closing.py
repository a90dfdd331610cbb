"""Closing resolved cases once the citizen can no longer reopen them.

A resolved case waits for the citizen's "not fixed?" (``REOPEN_DAYS``);
after that nothing more can happen to it, yet retention counts from
``closed_at``: a case left resolved would keep its personal data for ever.
The system closes it through the lifecycle, as the desk would, so the
history, the citizen's e-mail and the statistics are the same either way.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from geocases.cases.actors import SYSTEM
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.services.transitions import case_lock, case_transition
from geocases.tracking.services import reopen_deadline, reopen_window

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def cases_close_resolved(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Close every case resolved longer ago than the reopen window; returns
    how many were closed.

    In batches by id, each case in its own transaction with its row locked,
    so a citizen reopening a case meanwhile wins and nothing is held long.
    Running it again closes nothing more (a closed case is no longer
    resolved).
    """
    now = now or timezone.now()
    due = Case.objects.filter(
        status=Status.RESOLVED, resolved_at__lt=now - reopen_window()
    ).order_by("pk")
    closed, after = 0, 0
    while ids := list(due.filter(pk__gt=after).values_list("pk", flat=True)[:batch_size]):
        for pk in ids:
            closed += _close_if_due(pk, now)
        after = ids[-1]
    if closed:
        logger.info("Closed %d resolved cases past the reopen window.", closed)
    return closed


@transaction.atomic
def _close_if_due(pk: int, now: dt.datetime) -> int:
    case = case_lock(Case(pk=pk))
    deadline = reopen_deadline(case)
    if case.status != Status.RESOLVED or deadline is None or deadline >= now:
        return 0  # reopened, closed or resolved again since the batch was read
    case_transition(case=case, actor=SYSTEM, to=Status.CLOSED)
    return 1
