from django.core.management.base import BaseCommand

from geocases.core.progress import progress_bar
from geocases.routing.services import reroute_request, reroute_run_execute


class Command(BaseCommand):
    help = (
        "Route every open case again against the current service areas, now, with a progress "
        "bar (the admin and imports queue the same work for a Celery worker). Only cases whose "
        "responsible unit changes get a history event; cases routed by hand are left alone."
    )

    def handle(self, *args, verbosity: int, **options):
        run = reroute_request(reason="manage.py cases_reroute", queue=False)
        with progress_bar(label="re-routing", stream=self.stderr._out, verbosity=verbosity) as bar:
            run = reroute_run_execute(run_id=run.pk, progress=bar)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"{run.checked} open cases checked, {run.changed} given a new responsible unit "
            f"({run.batches_done} batches, {seconds:.1f} s)."
        )
