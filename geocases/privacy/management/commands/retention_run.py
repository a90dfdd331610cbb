"""Anonymise the cases past their category's retention period now (the
worker does it daily), and say what was done."""

import json

from django.core.management.base import BaseCommand

from geocases.privacy.retention import retention_run


class Command(BaseCommand):
    help = "Anonymise closed cases whose category's retention period has run out."

    def handle(self, *args, **options):
        report = retention_run()
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
