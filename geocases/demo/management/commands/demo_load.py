from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geocases.demo.services import demo_city_load

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

    def handle(self, *args, allow_demo_passwords: bool, verbosity: int, **options):
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
                disable=verbosity == 0,
                file=self.stderr._out,
                ncols=80,
            )

        report = demo_city_load(progress=progress)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo city loaded."))
