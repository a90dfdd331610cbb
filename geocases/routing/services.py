"""Applying routing decisions to cases: one at a time, and all open cases in
bulk, directly or as a recorded run in a Celery task."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.actors import SYSTEM
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, EventKind
from geocases.routing.models import RerouteRun, RerouteRunStatus
from geocases.routing.rules import decision_sql
from geocases.routing.selectors import RoutingDecision, routing_decide, routing_params

logger = logging.getLogger(__name__)

# Cases nobody has taken up yet follow the contract map; a case a contractor
# has acknowledged stays with them, so a new map never breaks work in progress.
REROUTABLE = (Status.NEW, Status.ASSIGNED, Status.REOPENED)


def case_routing_set(case: Case, decision: RoutingDecision) -> None:
    """Put a decision on an (unsaved or locked) case; the caller saves."""
    case.responsible_unit = decision.unit
    case.routing = decision.as_json()
    case.routing_area = decision.area
    case.routing_flag = decision.flag


def case_reroute(*, case: Case) -> bool:
    """Route a case again after its place or category changed; True if the
    responsible unit changed. Hand-routed cases and cases already being worked
    on are left alone. Call inside the transaction that holds the case's lock."""
    # Imported here: the case services call this module when a place changes.
    from geocases.cases.services.history import event_record, unit_ref

    if case.routing_locked or case.status not in REROUTABLE:
        return False
    old = unit_ref(case.responsible_user or case.responsible_unit)
    decision = routing_decide(category=case.category, location=case.location)
    changed = decision.unit.pk != case.responsible_unit_id
    case_routing_set(case, decision)
    if changed:
        case.responsible_user = None
    case.save(
        update_fields=[
            "responsible_unit",
            "responsible_user",
            "routing",
            "routing_area",
            "routing_flag",
        ]
    )
    if changed:
        event_record(
            case=case,
            actor=SYSTEM,
            kind=EventKind.ASSIGNMENT,
            field="responsible",
            old=old,
            new=unit_ref(decision.unit),
            text=_("Routed again after the place or category changed."),
        )
    return changed


@dataclass
class RerouteReport:
    checked: int = 0
    changed: int = 0
    batches: int = 0


REROUTE_BATCH = """
WITH before AS (
    SELECT c.id, c.category_id, c.location, c.responsible_unit_id, c.routing_area_id,
           c.routing_flag, cat.default_unit_id
    FROM cases_case c
    JOIN categories_category cat ON cat.id = c.category_id
    WHERE c.id >= %(first)s AND c.id < %(upto)s
      AND c.status = ANY(%(statuses)s) AND NOT c.routing_locked
),
decided AS ({decision}),
differs AS MATERIALIZED (
    -- Only the cases whose routing changes are touched (and joined) below.
    SELECT d.id, d.unit_id, d.area_id, d.flag, d.rule, b.responsible_unit_id AS old_unit
    FROM decided d
    JOIN before b ON b.id = d.id
    WHERE d.unit_id IS DISTINCT FROM b.responsible_unit_id
       OR d.area_id IS DISTINCT FROM b.routing_area_id
       OR d.flag IS DISTINCT FROM b.routing_flag
),
changed AS (
    UPDATE cases_case c
    SET responsible_unit_id = d.unit_id,
        responsible_user_id = CASE WHEN d.unit_id IS DISTINCT FROM d.old_unit
                                   THEN NULL ELSE c.responsible_user_id END,
        routing_area_id = d.area_id,
        routing_flag = d.flag,
        routing = jsonb_build_object(
            'rule', d.rule, 'on', %(on)s::text, 'flag', d.flag, 'by', 'reroute',
            'unit', jsonb_build_object('id', d.unit_id, 'name', nu.name),
            'area', CASE WHEN d.area_id IS NULL THEN NULL ELSE
                    jsonb_build_object('id', d.area_id, 'code', a.code, 'name', a.name) END,
            'candidates', '[]'::jsonb),
        updated_at = CASE WHEN d.unit_id IS DISTINCT FROM d.old_unit
                          THEN %(now)s ELSE c.updated_at END
    FROM differs d
    JOIN organisations_organisationunit nu ON nu.id = d.unit_id
    LEFT JOIN areas_servicearea a ON a.id = d.area_id
    WHERE c.id = d.id
    RETURNING c.id, d.old_unit, d.unit_id AS new_unit, nu.name AS new_name
),
events AS (
    INSERT INTO cases_caseevent
        (case_id, at, actor_id, actor_kind, kind, field, old_value, new_value, text, is_public)
    SELECT ch.id, %(now)s, NULL, 'system', 'assignment', 'responsible',
           CASE WHEN ch.old_unit IS NULL THEN NULL
                ELSE jsonb_build_object('id', ch.old_unit, 'name', ou.name) END,
           jsonb_build_object('id', ch.new_unit, 'name', ch.new_name),
           %(text)s, false
    FROM changed ch
    LEFT JOIN organisations_organisationunit ou ON ou.id = ch.old_unit
    WHERE ch.old_unit IS DISTINCT FROM ch.new_unit
    RETURNING 1
)
SELECT (SELECT count(*) FROM before), (SELECT count(*) FROM events)
"""
REROUTE_PLACES = "SELECT id, category_id, location, default_unit_id FROM before"


def cases_reroute(
    *,
    on: dt.date | None = None,
    batch_size: int = 50_000,
    workers: int | None = None,
    progress: Callable[[int, int, RerouteReport], None] | None = None,
) -> RerouteReport:
    """Route every open case again, after service areas changed: set-based SQL
    over batches of case ids, each batch its own short transaction, ``workers``
    batches at a time on connections of their own (default
    ``GEOCASES_REROUTE_WORKERS``; one, on this connection, when called inside
    a transaction, which other connections could not see into). Only cases
    whose responsible unit changes get a history event; hand-routed cases and
    cases already being worked on are left alone."""
    on = on or timezone.localdate()
    workers = workers or settings.GEOCASES_REROUTE_WORKERS
    if connection.in_atomic_block:
        workers = 1
    report = RerouteReport()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM cases_case")
        first, last = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(abs(ST_YMax(geometry))), 60) FROM areas_servicearea")
        (latitude,) = cursor.fetchone()
    params = {
        **routing_params(on=on, latitude=latitude),
        "now": timezone.now(),
        "statuses": [str(status) for status in REROUTABLE],
        "text": _("Routed again after the service areas changed."),
    }
    sql = REROUTE_BATCH.format(decision=decision_sql(REROUTE_PLACES))
    batches = max(1, -(-(last - first + 1) // batch_size))
    lowers = [first + index * batch_size for index in range(batches)]

    def batch(lower: int) -> tuple[int, int]:
        with transaction.atomic(), connection.cursor() as cursor:
            # A batch's sorts fit in memory instead of spilling to disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, {**params, "first": lower, "upto": lower + batch_size})
            return cursor.fetchone()

    def counted(result: tuple[int, int]) -> None:
        report.checked += result[0]
        report.changed += result[1]
        report.batches += 1
        if progress:
            progress(report.batches, batches, report)

    if workers == 1:
        for lower in lowers:
            counted(batch(lower))
        return report

    def batch_in_thread(lower: int) -> tuple[int, int]:
        try:
            return batch(lower)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reroute") as pool:
        for result in as_completed([pool.submit(batch_in_thread, lower) for lower in lowers]):
            counted(result.result())
    return report


# One bulk re-routing at a time: a second run waits for the first, then finds
# the cases already current and changes nothing.
REROUTE_LOCK = 4_212_001


def reroute_request(*, reason: str, requested_by=None, queue: bool = True) -> RerouteRun:
    """Record a re-routing run and, once the caller's transaction commits,
    hand it to a worker. Call after service areas change."""
    run = RerouteRun.objects.create(reason=reason[:300], requested_by=requested_by)
    if queue:
        transaction.on_commit(lambda: _hand_to_worker(run.pk))
    return run


def _hand_to_worker(run_id: int) -> None:
    from geocases.routing.tasks import reroute_run

    try:
        reroute_run.delay(run_id)
    except Exception:  # the broker is down: the edit is saved, the sweep hands the run on
        logger.warning(
            "re-routing run %s not handed to a worker; the sweep will", run_id, exc_info=True
        )


# A run still queued this long after it was asked for was never handed to a
# worker (the broker was down) or its message was lost with the broker.
REROUTE_UNCLAIMED = dt.timedelta(minutes=10)


def reroute_sweep() -> int:
    """Hand runs left queued to a worker again; how many. A run handed twice
    is done once (``reroute_run_execute``)."""
    stale = RerouteRun.objects.filter(
        status=RerouteRunStatus.QUEUED, requested_at__lt=timezone.now() - REROUTE_UNCLAIMED
    ).values_list("pk", flat=True)
    runs = list(stale)
    for run_id in runs:
        _hand_to_worker(run_id)
    return len(runs)


def reroute_daily() -> RerouteRun:
    """Route the open cases again as a day begins, so that a service area's
    validity period or season takes effect on its date (beat, just after
    midnight): nothing else changes then that would queue a run. Carried
    out at once (this is already a worker) and recorded like any run."""
    run = reroute_request(
        reason=_("A new day: service areas' validity periods and seasons"), queue=False
    )
    return reroute_run_execute(run_id=run.pk)


def reroute_run_execute(
    *, run_id: int, progress: Callable[[int, int], None] | None = None
) -> RerouteRun:
    """Carry out a requested run, recording its progress on the run row.

    Safe to call twice for the same run (a worker lost mid-run hands the task
    to another): re-routing is idempotent, and a finished run is not redone.
    A queued run with a newer queued run behind it steps aside for that one.
    """
    with transaction.atomic():
        run = RerouteRun.objects.select_for_update().get(pk=run_id)
        if run.status in (RerouteRunStatus.DONE, RerouteRunStatus.SUPERSEDED):
            return run
        newer = RerouteRun.objects.filter(pk__gt=run.pk, status=RerouteRunStatus.QUEUED)
        if run.status == RerouteRunStatus.QUEUED and newer.exists():
            run.status = RerouteRunStatus.SUPERSEDED
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at"])
            return run
        run.status = RerouteRunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])

    def record(done: int, total: int, report: RerouteReport) -> None:
        RerouteRun.objects.filter(pk=run.pk).update(
            batches_done=done, batches_total=total, checked=report.checked, changed=report.changed
        )
        if progress:
            progress(done, total)

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [REROUTE_LOCK])
        try:
            report = cases_reroute(progress=record)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [REROUTE_LOCK])
    except Exception as error:
        RerouteRun.objects.filter(pk=run.pk).update(
            status=RerouteRunStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    RerouteRun.objects.filter(pk=run.pk).update(
        status=RerouteRunStatus.DONE,
        finished_at=timezone.now(),
        checked=report.checked,
        changed=report.changed,
        batches_done=F("batches_total"),
    )
    run.refresh_from_db()
    return run
