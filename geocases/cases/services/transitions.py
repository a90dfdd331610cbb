"""The one service that changes a case's status."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.accounts.models import User
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import ActorKind, Needs, Status, TransitionError, transition_rule
from geocases.cases.models import Case, EventKind
from geocases.cases.services.history import event_record, unit_ref
from geocases.core.errors import ApplicationError
from geocases.deadlines.rules import case_deadlines, deadlines_resumed
from geocases.organisations.models import OrganisationUnit

# Roles that work only on cases their own unit (or they personally) are responsible for.
_UNIT_BOUND = {ActorKind.HANDLER, ActorKind.CONTRACTOR}


def case_lock(case: Case) -> Case:
    """The case, re-read and locked until the transaction ends."""
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def actor_may_work_on(case: Case, actor: Actor) -> bool:
    if actor.kind not in _UNIT_BOUND:
        return True
    user = actor.user
    return user is not None and (
        case.responsible_user_id == user.pk
        or (user.unit_id is not None and case.responsible_unit_id == user.unit_id)
    )


def case_forward_new(case: Case, *, actor: Actor) -> None:
    """Send a case being registered straight on to its routed unit: the
    table's rule for "new → assigned" is checked and the status set before
    the row is first written, so nothing is re-read and written again. The
    caller records the status change in the history once the case is saved
    (``case_forward_recorded``), as ``case_transition`` would."""
    rule = transition_rule(Status.NEW, Status.ASSIGNED, actor.kind)
    _needs_check(rule, {Needs.RESPONSIBLE: case.responsible_unit or case.responsible_user})
    case.status = Status.ASSIGNED


def case_forward_recorded(case: Case, *, actor: Actor, at: dt.datetime) -> None:
    _status_recorded(case, actor, Status.NEW, Status.ASSIGNED, at)


def _needs_check(rule, given: dict) -> None:
    """Refuse the change, naming every field it needs that was not given."""
    missing = {str(need): [_needs_message(need)] for need in rule.needs if not given.get(need)}
    if missing:
        raise ApplicationError(_("More is needed for this change of status."), fields=missing)


def _status_recorded(case, actor, old: Status, new: Status, at, text: str = "") -> None:
    event_record(
        case=case,
        actor=actor,
        kind=EventKind.STATUS,
        field="status",
        old=str(old),
        new=str(new),
        text=text,
        public=True,
        at=at,
    )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: Actor,
    to: Status | str,
    resolution: str = "",
    reason: str = "",
    message: str = "",
    follow_up_date: dt.date | None = None,
    duplicate_of: Case | None = None,
    responsible_unit: OrganisationUnit | None = None,
    responsible_user: User | None = None,
) -> Case:
    """Move the case to ``to`` if the lifecycle table and the actor allow it.

    Locks the row, checks the table and what the transition needs, updates the
    case and writes its history; nothing is written if any check fails.
    """
    locked = case_lock(case)
    current, target = Status(locked.status), Status(to)
    rule = transition_rule(current, target, actor.kind)
    if not actor_may_work_on(locked, actor):
        raise TransitionError(_("This case is the responsibility of another unit."))
    given = {
        Needs.RESOLUTION: resolution.strip(),
        Needs.REASON: reason.strip(),
        Needs.MESSAGE: message.strip(),
        Needs.FOLLOW_UP_DATE: follow_up_date,
        Needs.DUPLICATE_OF: duplicate_of,
        Needs.RESPONSIBLE: responsible_unit or responsible_user,
    }
    _needs_check(rule, given)
    if current == Status.PARKED and target != locked.status_before_parking:
        raise TransitionError(
            _("A parked case goes back to “%(status)s”, where it was parked from.")
            % {"status": Status(locked.status_before_parking).label}
        )
    if follow_up_date is not None and follow_up_date < timezone.localdate():
        raise ApplicationError.for_field("follow_up_date", _("The follow-up date has passed."))

    now = timezone.now()
    changed = _apply(locked, current, target, now, given, responsible_unit, responsible_user)
    locked.updated_at = now
    locked.save(update_fields=[*changed, "status", "updated_at"])

    reason = given[Needs.REASON] if target in (Status.PARKED, Status.REOPENED) else ""
    _status_recorded(locked, actor, current, target, now, text=reason)
    if target == Status.FEEDBACK_GIVEN:
        event_record(
            case=locked,
            actor=actor,
            kind=EventKind.PUBLIC_UPDATE,
            text=message.strip(),
            public=True,
            at=now,
        )
    if {"responsible_unit", "responsible_user"} & set(changed):
        event_record(
            case=locked,
            actor=actor,
            kind=EventKind.ASSIGNMENT,
            field="responsible",
            old=changed.get("responsible_unit"),
            new=unit_ref(locked.responsible_user or locked.responsible_unit),
            at=now,
        )
    case.refresh_from_db()
    return locked


def _apply(case, current, target, now, given, unit, user) -> dict[str, object]:
    """Set the fields the transition changes; return their names (with old responsible)."""
    changed: dict[str, object] = {}
    if unit or user:
        old = unit_ref(case.responsible_user or case.responsible_unit)
        case.responsible_unit = unit or (user.unit if user else None) or case.responsible_unit
        case.responsible_user = user
        if unit_ref(case.responsible_user or case.responsible_unit) != old:
            changed.update(responsible_unit=old, responsible_user=None)
    match target:
        case Status.ACKNOWLEDGED:
            case.acknowledged_at = now
            changed["acknowledged_at"] = None
        case Status.FEEDBACK_GIVEN:
            case.feedback_given_at = now
            changed["feedback_given_at"] = None
        case Status.RESOLVED:
            case.resolution, case.resolved_at = given[Needs.RESOLUTION], now
            changed.update(resolution=None, resolved_at=None)
        case Status.CLOSED:
            case.closed_at = now
            changed["closed_at"] = None
            if current == Status.NEW and not given[Needs.DUPLICATE_OF]:
                case.resolved_at_first_contact = True
                case.resolution, case.resolved_at = given[Needs.RESOLUTION], now
                changed.update(resolved_at_first_contact=None, resolution=None, resolved_at=None)
            if given[Needs.DUPLICATE_OF]:
                case.merged_into = given[Needs.DUPLICATE_OF]
                case.resolution = given[Needs.RESOLUTION] or case.resolution
                changed.update(merged_into=None, resolution=None)
        case Status.PARKED:
            case.parked_until, case.status_before_parking = given[Needs.FOLLOW_UP_DATE], current
            case.parked_at = now  # the clocks stop
            changed.update(parked_until=None, status_before_parking=None, parked_at=None)
        case Status.REOPENED:
            case.resolved_at = case.closed_at = None
            case.resolved_at_first_contact = False
            changed.update(resolved_at=None, closed_at=None, resolved_at_first_contact=None)
            # A new round for whoever takes it: fresh clocks, not an escalation.
            case.acknowledged_at = case.feedback_given_at = None
            deadlines = case_deadlines(category=case.category, start=now, area=case.routing_area)
            for name, value in deadlines.items():
                setattr(case, name, value)
            changed.update(dict.fromkeys(deadlines), acknowledged_at=None, feedback_given_at=None)
    if current == Status.PARKED:
        if case.parked_at is not None:  # the clocks go on with the time they had left
            resumed = deadlines_resumed(case=case, parked_at=case.parked_at, now=now)
            for name, value in resumed.items():
                setattr(case, name, value)
            changed.update(dict.fromkeys(resumed))
        case.parked_until, case.status_before_parking, case.parked_at = None, "", None
        changed.update(parked_until=None, status_before_parking=None, parked_at=None)
    case.status = target
    return changed


def _needs_message(need: Needs) -> str:
    return {
        Needs.RESOLUTION: _("Say how the case was resolved."),
        Needs.REASON: _("Give a reason."),
        Needs.MESSAGE: _("Write the message to the citizen."),
        Needs.FOLLOW_UP_DATE: _("Choose a follow-up date."),
        Needs.DUPLICATE_OF: _("Name the case this one duplicates."),
        Needs.RESPONSIBLE: _("Choose a unit or person to send the case to."),
    }[need]
