from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geocases.demo.cases import demo_cases_load
from geocases.demo.services import demo_city_load, demo_definition

T = TypeVar("T")


class Command(BaseCommand):
    help = (
        "Load the demo city: Stockholm's 117 districts, departments, contractors with their "
        "service areas, categories and staff with demo log-ins. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Load even with DEBUG off (the demo users have a published password).",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=300,
            help="Sample cases to create when the city has none yet (default 300; 0 for none).",
        )

    def handle(self, *args, allow_demo_passwords: bool, cases: int, verbosity: int, **options):
        if not settings.DEBUG and not allow_demo_passwords:
            raise CommandError(
                "DEBUG is off, so this looks like a real site: the demo users have a published "
                "password. Pass --allow-demo-passwords if you really want the demo data here."
            )

        def progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
            return tqdm(
                items,
                desc=f"{label:>14}",
                total=total,
                # None: tqdm draws only on a terminal, not into CI logs.
                disable=True if verbosity == 0 else None,
                file=self.stderr._out,
                ncols=80,
            )

        report = demo_city_load(progress=progress)
        for line in report.lines():
            self.stdout.write(line)
        spec = demo_definition()["sample_cases"]
        created = demo_cases_load(spec=spec, count=cases, progress=progress)
        self.stdout.write(
            f"sample cases: {created} created"
            if created or not cases
            else "sample cases: none added (the city already has cases)"
        )
        self.stdout.write(self.style.SUCCESS("Demo city loaded."))
