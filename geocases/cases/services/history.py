"""Writing history events: the only place CaseEvent rows are created, and so
the one place public events queue the citizen's e-mail."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from geocases.cases.actors import Actor
from geocases.cases.models import Case, CaseEvent, EventKind


def event_record(
    *,
    case: Case,
    actor: Actor,
    kind: EventKind,
    field: str = "",
    old: Any = None,
    new: Any = None,
    text: str = "",
    public: bool = False,
    at=None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor.user,
        actor_kind=str(actor.kind),
        kind=kind,
        field=field,
        old_value=old,
        new_value=new,
        text=text,
        is_public=public,
    )
    if public:
        # The citizen's e-mail goes into the outbox in this same transaction.
        from geocases.notifications.citizens import citizen_notify

        citizen_notify(event=event)
    return event


def unit_ref(unit) -> dict[str, Any] | None:
    """How a unit or person is kept in history: id and the name it had then."""
    return {"id": unit.pk, "name": str(unit)} if unit is not None else None
