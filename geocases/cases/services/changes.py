"""Changes to a case other than its status: responsibility, fields, notes, merging."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.accounts.models import User
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import ActorKind, Status, TransitionError
from geocases.cases.models import Case, CaseEvent, EventKind
from geocases.cases.services.history import event_record, unit_ref
from geocases.cases.services.transitions import actor_may_work_on, case_lock, case_transition
from geocases.categories.models import Category
from geocases.categories.validation import extra_fields_clean, place_kind_check
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_validate
from geocases.organisations.models import OrganisationUnit
from geocases.routing.services import case_reroute

# Fields an update may change, with the history kind each is recorded under.
UPDATABLE_FIELDS = {
    "title": EventKind.FIELD,
    "description": EventKind.FIELD,
    "priority": EventKind.FIELD,
    "extra": EventKind.FIELD,
    "address": EventKind.FIELD,
    "reporter_name": EventKind.FIELD,
    "reporter_email": EventKind.FIELD,
    "reporter_phone": EventKind.FIELD,
    "reporter_language": EventKind.FIELD,
    "location": EventKind.PLACE,
    "category": EventKind.CATEGORY,
}
_DESK = {ActorKind.AGENT, ActorKind.HANDLER, ActorKind.ADMINISTRATOR, ActorKind.SYSTEM}


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Actor,
    unit: OrganisationUnit | None = None,
    user: User | None = None,
) -> Case:
    """Forward the case to a unit or a person. An open case that was not yet
    assigned, or already worked on by someone else, becomes "assigned" so the
    new party acknowledges it; the previous party stays in the history."""
    if actor.kind not in _DESK:
        raise TransitionError(_("Only customer service and handlers may forward cases."))
    if unit is None and user is None:
        raise ApplicationError.for_field("responsible", _("Choose a unit or person."))
    locked = case_lock(case)
    if not locked.is_open and locked.status != Status.PARKED:
        raise TransitionError(
            _("A case that is “%(status)s” cannot be forwarded; reopen it first.")
            % {"status": Status(locked.status).label}
        )
    if actor.kind != ActorKind.SYSTEM and (
        user is not None or unit.pk != locked.routing.get("unit", {}).get("id")
    ):
        _routing_mark_manual(locked, actor, unit or user.unit)
    if locked.status in (Status.PARKED, Status.ASSIGNED):
        old = unit_ref(locked.responsible_user or locked.responsible_unit)
        locked.responsible_unit = unit or user.unit or locked.responsible_unit
        locked.responsible_user = user
        locked.updated_at = timezone.now()
        locked.save(update_fields=["responsible_unit", "responsible_user", "updated_at"])
        event_record(
            case=locked,
            actor=actor,
            kind=EventKind.ASSIGNMENT,
            field="responsible",
            old=old,
            new=unit_ref(user or locked.responsible_unit),
            at=locked.updated_at,
        )
        case.refresh_from_db()
        return locked
    assigned = case_transition(
        case=locked, actor=actor, to=Status.ASSIGNED, responsible_unit=unit, responsible_user=user
    )
    case.refresh_from_db()
    return assigned


@transaction.atomic
def _routing_mark_manual(case: Case, actor: Actor, unit: OrganisationUnit) -> None:
    """An agent's choice of who is responsible; automatic re-routing keeps it."""
    case.routing = {
        "rule": "manual",
        "on": timezone.localdate().isoformat(),
        "unit": {"id": unit.pk, "name": unit.name},
        "area": None,
        "flag": "",
        "by": actor.label,
        "automatic": case.routing,
        "candidates": case.routing.get("candidates", []),
    }
    case.routing_locked = True
    case.routing_flag = ""
    case.save(update_fields=["routing", "routing_locked", "routing_flag"])


def case_update(*, case: Case, actor: Actor, **changes: Any) -> Case:
    """Change fields of a case; each changed field gets its own history event."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %s.") % ", ".join(sorted(unknown))
        )
    locked = case_lock(case)
    if not actor_may_work_on(locked, actor) or actor.kind == ActorKind.CITIZEN:
        raise TransitionError(_("This case is the responsibility of another unit."))

    category: Category = changes.get("category", locked.category)
    location: GEOSGeometry | None = changes.get("location", locked.location)
    if "location" in changes and location is not None:
        location = changes["location"] = place_validate(location)
    if "location" in changes or "category" in changes:
        place_kind_check(
            category=category,
            has_point=isinstance(location, Point),
            has_area=location is not None and not isinstance(location, Point),
        )
    if "extra" in changes or "category" in changes:
        changes["extra"] = extra_fields_clean(
            category=category, values=changes.get("extra", locked.extra)
        )

    now = timezone.now()
    recorded: list[tuple[str, Any, Any]] = []
    for name, value in changes.items():
        old = getattr(locked, name)
        if _same(old, value):
            continue
        setattr(locked, name, value)
        recorded.append((name, _history_value(old), _history_value(value)))
    if not recorded:
        return locked
    try:
        locked.full_clean(
            exclude=["search_vector", "reporter_phone_digits", "number"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ApplicationError.from_validation(error) from None
    locked.updated_at = now
    locked.save(update_fields=[name for name, _, _ in recorded] + ["updated_at"])
    for name, old, new in recorded:
        event_record(
            case=locked,
            actor=actor,
            kind=UPDATABLE_FIELDS[name],
            field=name,
            old=old,
            new=new,
            public=name in ("title", "location", "category", "address"),
            at=now,
        )
    if {"location", "category"} & {name for name, _, _ in recorded}:
        case_reroute(case=locked)
    case.refresh_from_db()
    return locked


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        return old is not None and new is not None and old.equals_exact(new)
    return old == new


def _history_value(value: Any) -> Any:
    if isinstance(value, GEOSGeometry):
        return {"type": value.geom_type, "wkt": value.wkt}
    if isinstance(value, Category):
        return {"id": value.pk, "code": value.code}
    return value


@transaction.atomic
def case_note_add(*, case: Case, actor: Actor, text: str, public: bool) -> CaseEvent:
    """An internal note (staff only) or a public update (the citizen sees it)."""
    text = text.strip()
    if not text:
        raise ApplicationError.for_field("text", _("Write something."))
    locked = case_lock(case)
    if not actor_may_work_on(locked, actor) or actor.kind == ActorKind.CITIZEN:
        raise TransitionError(_("This case is the responsibility of another unit."))
    kind = EventKind.PUBLIC_UPDATE if public else EventKind.NOTE
    event = event_record(case=locked, actor=actor, kind=kind, text=text, public=public)
    Case.objects.filter(pk=locked.pk).update(updated_at=event.at)
    return event


@transaction.atomic
def case_merge(*, duplicate: Case, into: Case, actor: Actor) -> Case:
    """Close ``duplicate`` as a duplicate of ``into``; both keep their histories,
    linked both ways."""
    if duplicate.pk == into.pk:
        raise ApplicationError.for_field("into", _("A case cannot be merged into itself."))
    # Lock both, always in the same order, so two opposite merges cannot deadlock.
    first, second = sorted([duplicate, into], key=lambda c: c.pk)
    case_lock(first), case_lock(second)
    into.refresh_from_db()
    if into.merged_into_id is not None:
        raise ApplicationError.for_field(
            "into",
            _("%(number)s is itself a duplicate; merge into the case it duplicates.")
            % {"number": into.number},
        )
    resolution = _("Duplicate of %(number)s.") % {"number": into.number}
    closed = case_transition(
        case=duplicate, actor=actor, to=Status.CLOSED, duplicate_of=into, resolution=resolution
    )
    now = timezone.now()
    event_record(
        case=closed,
        actor=actor,
        kind=EventKind.MERGED_INTO,
        field="merged_into",
        new=into.number,
        text=resolution,
        public=True,
        at=now,
    )
    event_record(
        case=into,
        actor=actor,
        kind=EventKind.MERGED_FROM,
        field="duplicates",
        new=closed.number,
        public=False,
        at=now,
    )
    return closed
