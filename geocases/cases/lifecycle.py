"""The case lifecycle: every allowed status change, in one table.

Pure Python, no database: ``case_transition`` (services) locks the case,
asks ``transition_rule`` whether the change is allowed for this actor, and
writes the history. The database constrains the status values to ``Status``.

    new → assigned → acknowledged → feedback_given → resolved → closed
    new → closed                         solved at first contact (a resolution)
    any open status → parked → back      parking needs a follow-up date
    resolved | closed → reopened → assigned     reopening needs a reason
    any open status → closed             only when merged into another case
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from geocases.core.errors import ApplicationError


class Status(models.TextChoices):
    NEW = "new", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    PARKED = "parked", _("Parked")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.ACKNOWLEDGED, Status.FEEDBACK_GIVEN, Status.REOPENED}
)
# Waiting on somebody, but not finished: parked cases count as open in reports.
UNFINISHED_STATUSES = OPEN_STATUSES | {Status.PARKED}


def status_labels() -> dict[str, str]:
    """Each status by its name in the reader's language (for pages' scripts,
    tables and feeds; translated when called)."""
    return {value: str(label) for value, label in Status.choices}


class ActorKind(StrEnum):
    """Who may make a change. Staff roles, plus the two actors without a role."""

    AGENT = "agent"
    HANDLER = "handler"
    CONTRACTOR = "contractor"
    PLANNER = "planner"
    ADMINISTRATOR = "administrator"
    CITIZEN = "citizen"  # holding the case's tracking link
    SYSTEM = "system"  # routing, schedules, e-mail intake


class Needs(StrEnum):
    """What a transition must be given."""

    RESOLUTION = "resolution"
    FOLLOW_UP_DATE = "follow_up_date"
    REASON = "reason"
    MESSAGE = "message"  # the feedback to the citizen
    DUPLICATE_OF = "duplicate_of"
    RESPONSIBLE = "responsible"  # a unit (or person) to assign to


@dataclass(frozen=True)
class Rule:
    actors: frozenset[ActorKind]
    needs: frozenset[Needs] = frozenset()


def _rule(*actors: ActorKind, needs: tuple[Needs, ...] = ()) -> Rule:
    return Rule(frozenset(actors), frozenset(needs))


A, H, C, ADM, CIT, SYS = (
    ActorKind.AGENT,
    ActorKind.HANDLER,
    ActorKind.CONTRACTOR,
    ActorKind.ADMINISTRATOR,
    ActorKind.CITIZEN,
    ActorKind.SYSTEM,
)
_STAFF_WORKING_THE_CASE = (A, H, C, ADM)
_DESK = (A, H, ADM)

TRANSITIONS: dict[tuple[Status, Status], Rule] = {
    (Status.NEW, Status.ASSIGNED): _rule(*_DESK, SYS, needs=(Needs.RESPONSIBLE,)),
    (Status.NEW, Status.CLOSED): _rule(*_DESK, needs=(Needs.RESOLUTION,)),
    (Status.ASSIGNED, Status.ACKNOWLEDGED): _rule(*_STAFF_WORKING_THE_CASE),
    (Status.ACKNOWLEDGED, Status.FEEDBACK_GIVEN): _rule(
        *_STAFF_WORKING_THE_CASE, needs=(Needs.MESSAGE,)
    ),
    (Status.FEEDBACK_GIVEN, Status.RESOLVED): _rule(
        *_STAFF_WORKING_THE_CASE, needs=(Needs.RESOLUTION,)
    ),
    (Status.RESOLVED, Status.CLOSED): _rule(*_DESK, SYS),
    (Status.RESOLVED, Status.REOPENED): _rule(*_DESK, CIT, needs=(Needs.REASON,)),
    (Status.CLOSED, Status.REOPENED): _rule(*_DESK, CIT, needs=(Needs.REASON,)),
    (Status.REOPENED, Status.ASSIGNED): _rule(*_DESK, SYS, needs=(Needs.RESPONSIBLE,)),
    # Forwarded elsewhere after work began: the new party acknowledges afresh.
    (Status.ACKNOWLEDGED, Status.ASSIGNED): _rule(*_DESK, SYS, needs=(Needs.RESPONSIBLE,)),
    (Status.FEEDBACK_GIVEN, Status.ASSIGNED): _rule(*_DESK, SYS, needs=(Needs.RESPONSIBLE,)),
}
for _open in OPEN_STATUSES:
    TRANSITIONS[(_open, Status.PARKED)] = _rule(*_DESK, needs=(Needs.FOLLOW_UP_DATE,))
    # Back to where it was parked from; the service checks which one that was.
    TRANSITIONS[(Status.PARKED, _open)] = _rule(*_DESK, SYS)
    if _open != Status.NEW:
        TRANSITIONS[(_open, Status.CLOSED)] = _rule(*_DESK, needs=(Needs.DUPLICATE_OF,))


class TransitionError(ApplicationError):
    """A status change that the lifecycle does not allow; the message says why."""


def transitions_allowed(
    current: Status, actor: ActorKind, *, parked_from: Status | str = ""
) -> dict[Status, Rule]:
    """The statuses ``actor`` may move a case from ``current`` to, with their
    rules, in the lifecycle's order. A parked case goes back only to where it
    was parked from (``parked_from``), when that is known."""
    current = Status(current)
    allowed = {
        to: rule
        for (source, to), rule in TRANSITIONS.items()
        if source == current and actor in rule.actors
    }
    if current == Status.PARKED and parked_from:
        allowed = {to: rule for to, rule in allowed.items() if to == parked_from}
    order = list(Status)
    return dict(sorted(allowed.items(), key=lambda item: order.index(item[0])))


def transition_rule(current: Status, target: Status, actor: ActorKind) -> Rule:
    """The rule for ``current → target`` if ``actor`` may make it; else TransitionError."""
    rule = TRANSITIONS.get((Status(current), Status(target)))
    if rule is None:
        # Only what this actor may choose: naming a desk-only status to a
        # contractor would point them at a way they cannot take.
        allowed = sorted(str(to.label) for to in transitions_allowed(current, actor))
        names = {"current": Status(current).label, "target": Status(target).label}
        if not allowed:
            raise TransitionError(
                _(
                    "A case that is “%(current)s” cannot become “%(target)s”, "
                    "and your role cannot change it now."
                )
                % names
            )
        raise TransitionError(
            _(
                "A case that is “%(current)s” cannot become “%(target)s”; "
                "it can become: %(allowed)s."
            )
            % {**names, "allowed": ", ".join(allowed)}
        )
    if actor not in rule.actors:
        raise TransitionError(
            _("Your role may not change a case from “%(current)s” to “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )
    return rule


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
