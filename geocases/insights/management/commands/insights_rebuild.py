"""Count every case on the map grid and in the monthly statistics again
(after a bulk load by other means than the case triggers)."""

import time

from django.core.management.base import BaseCommand

from geocases.insights.services import cells_rebuild, cells_tidy
from geocases.insights.statistics import durations_forget


class Command(BaseCommand):
    help = "Rebuild the map's case counts per cell and the statistics per month from the cases."

    def handle(self, *args, **options):
        started = time.monotonic()
        cells_rebuild()
        cells_tidy()
        durations_forget()  # after a bulk load the kept medians are out of date too
        self.stdout.write(
            f"map counts and statistics rebuilt in {time.monotonic() - started:.1f} s"
        )
