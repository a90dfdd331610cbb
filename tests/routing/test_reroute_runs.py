"""Re-routing runs: requested when service areas change, carried out by a real
Celery worker (Redis broker) or by the management command, with progress."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create
from geocases.routing.models import RerouteRun, RerouteRunStatus
from geocases.routing.services import reroute_request, reroute_run_execute
from tests.factories import ContractorFactory, ServiceAreaFactory
from tests.routing.test_case_routing import WEST_POINT, areas, snow  # noqa: F401 - fixtures


@pytest.fixture
def moved_contract(snow, areas):  # noqa: F811
    """An open case in the west area, whose contract then goes to another contractor."""
    west, _ = areas
    case = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    west.unit = ContractorFactory(code="new-contractor")
    west.save()
    return case


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_requested_run_is_carried_out_by_a_worker_after_commit(moved_contract, celery_worker):
    with transaction.atomic():
        run = reroute_request(reason="contract map changed")
        time.sleep(0.5)
        assert RerouteRun.objects.get(pk=run.pk).status == "queued"  # not before the commit

    deadline = time.monotonic() + 30
    while RerouteRun.objects.get(pk=run.pk).status != "done" and time.monotonic() < deadline:
        time.sleep(0.1)

    run.refresh_from_db()
    assert (run.status, run.checked, run.changed, run.percent_done) == ("done", 1, 1, 100)
    assert run.started_at <= run.finished_at
    moved_contract.refresh_from_db()
    assert moved_contract.responsible_unit.code == "new-contractor"


@pytest.mark.django_db
def test_a_run_records_progress_per_batch(moved_contract, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        run = reroute_request(reason="test")
    assert len(queued) == 1  # the task is handed to the broker only on commit
    seen = []

    run = reroute_run_execute(run_id=run.pk, progress=lambda done, total: seen.append(done))

    assert (run.status, run.checked, run.changed, run.batches_done) == ("done", 1, 1, 1)
    assert seen == [1]


@pytest.mark.django_db
def test_a_queued_run_steps_aside_for_a_newer_one(moved_contract):
    first = reroute_request(reason="first edit", queue=False)
    second = reroute_request(reason="second edit", queue=False)

    assert reroute_run_execute(run_id=first.pk).status == RerouteRunStatus.SUPERSEDED
    assert reroute_run_execute(run_id=second.pk).status == RerouteRunStatus.DONE
    moved_contract.refresh_from_db()
    assert moved_contract.responsible_unit.code == "new-contractor"


@pytest.mark.django_db
def test_a_finished_run_delivered_again_is_not_redone(moved_contract):
    run = reroute_run_execute(run_id=reroute_request(reason="edit", queue=False).pk)
    finished_at = run.finished_at

    again = reroute_run_execute(run_id=run.pk)

    assert (again.status, again.finished_at) == ("done", finished_at)


@pytest.mark.django_db
def test_a_failing_run_records_the_error(moved_contract, monkeypatch):
    from geocases.routing import services

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "cases_reroute", broken)
    run = reroute_request(reason="edit", queue=False)

    with pytest.raises(RuntimeError):
        reroute_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "the database went away")


@pytest.mark.django_db
def test_the_command_re_routes_now_and_says_what_changed(moved_contract, capsys):
    call_command("cases_reroute", verbosity=0)

    assert "1 open cases checked, 1 given a new responsible unit" in capsys.readouterr().out
    assert RerouteRun.objects.get().status == "done"
    moved_contract.refresh_from_db()
    assert moved_contract.responsible_unit.code == "new-contractor"


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_an_area_edit_is_saved_and_the_sweep_hands_the_run_on(
    moved_contract, broker_down, monkeypatch
):
    from geocases.routing import services

    with transaction.atomic():
        run = reroute_request(reason="edit while Redis is down")
    assert RerouteRun.objects.get(pk=run.pk).status == "queued"  # saved; no worker has it
    assert services.reroute_sweep() == 0  # not yet overdue

    handed = []
    monkeypatch.setattr(services, "REROUTE_UNCLAIMED", dt.timedelta(0))
    monkeypatch.setattr("geocases.routing.tasks.reroute_run.delay", handed.append)
    assert services.reroute_sweep() == 1
    assert handed == [run.pk]


@pytest.mark.django_db
def test_saving_a_service_area_in_the_admin_requests_a_run(admin_client, snow):  # noqa: F811
    area = ServiceAreaFactory(code="north", categories=[snow])
    form = {
        "code": "north",
        "name": "Norr",
        "unit": area.unit.pk,
        "categories": [snow.pk],
        "geometry": area.geometry.geojson,
        "valid_from": "2026-01-01",
        "priority": "1",
        "season_start": "",
        "season_end": "",
    }

    response = admin_client.post(f"/admin/areas/servicearea/{area.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    run = RerouteRun.objects.get()
    assert "Norr" in run.reason and run.requested_by.username == "admin"
    admin_client.post(f"/admin/areas/servicearea/{area.pk}/delete/", {"post": "yes"})
    assert RerouteRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_bulk_re_routing_side_by_side_on_several_connections(snow, areas):  # noqa: F811
    from geocases.cases.models import CaseEvent
    from geocases.routing.services import cases_reroute

    west, _ = areas
    cases = [
        case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
        for _ in range(7)
    ]
    west.unit = ContractorFactory(code="new-contractor")
    west.save()

    report = cases_reroute(workers=3, batch_size=2)

    assert (report.checked, report.changed) == (7, 7) and report.batches >= 4
    for case in cases:
        case.refresh_from_db()
        assert case.responsible_unit.code == "new-contractor"
    assert CaseEvent.objects.filter(text__startswith="Routed again").count() == 7
    assert cases_reroute(workers=3, batch_size=2).changed == 0
