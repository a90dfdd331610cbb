"""A data-subject request from the command line:

manage.py privacy_request export --email per@example.org --out per.zip
manage.py privacy_request erase --phone 070-123 45 67 --note "asked by letter 2026-11-20"
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geocases.core.errors import ApplicationError
from geocases.privacy.subjects import Subject, subject_erase, subject_export


class Command(BaseCommand):
    help = "Export (art. 15) or erase (art. 17) what is held about a person."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["export", "erase"])
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--note", default="", help="why, who asked, how they were identified")
        parser.add_argument("--out", help="export: the ZIP file to write")

    def handle(self, *args, kind, email, phone, note, out, **options):
        try:
            subject = Subject(email=email, phone=phone)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        if kind == "export":
            if not out:
                raise CommandError("Give --out, the ZIP file to write.")
            path = Path(out)
            if path.exists():
                raise CommandError(f"{path} exists; give a new file name.")
            path.write_bytes(subject_export(subject=subject, note=note))
            self.stdout.write(f"written: {path}")
            return
        result = subject_erase(subject=subject, note=note)
        self.stdout.write(
            json.dumps(
                {
                    "erased": result.erased,
                    "kept": result.kept,
                    "emails": result.emails,
                    "notifications": result.notifications,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
