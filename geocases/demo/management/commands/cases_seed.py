"""Add N synthetic cases to the demo city (planners' maps, statistics,
benchmarks): ``manage.py cases_seed 1000000``."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geocases.demo.seeding import cases_seed


class Command(BaseCommand):
    help = (
        "Add N synthetic cases over the demo city: seasonal categories, dense in the centre, "
        "routed to the contractors, with lifecycles and history. Load the demo city first."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many cases, e.g. 1000000")
        parser.add_argument("--years", type=int, default=3, help="reported over this many years")
        parser.add_argument("--seed", type=int, default=None, help="for the same cases again")

    def handle(self, *args, count: int, years: int, seed, verbosity: int, **options):
        def progress(items, label, total):
            return tqdm(
                items,
                desc=f"{label:>11}",
                total=total,
                ncols=80,
                disable=True if verbosity == 0 else None,
                file=self.stderr._out,
            )

        try:
            report = cases_seed(count=count, years=years, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
