"""Read the service mailbox (a Maildir) and take every new message."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geocases.core.errors import ApplicationError
from geocases.intake.mailbox import maildir_read
from geocases.intake.management.commands.email_receive import describe


class Command(BaseCommand):
    help = "Take the new messages of a Maildir: each becomes a case or joins the case it quotes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--maildir",
            default=settings.GEOCASES_EMAIL_INTAKE_MAILDIR,
            help="the Maildir to read (default: the EMAIL_INTAKE_MAILDIR setting)",
        )

    def handle(self, *args, maildir="", **options):
        if not maildir:
            raise CommandError("Say which Maildir to read: --maildir or EMAIL_INTAKE_MAILDIR.")
        try:
            report = maildir_read(path=Path(maildir))
        except ApplicationError as error:
            raise CommandError(error.message) from None
        for inbound in report.received:
            self.stdout.write(describe(inbound))
        for key, why in report.failed:
            self.stderr.write(f"not taken, flagged in the mailbox: {key}: {why}")
        self.stdout.write(f"{len(report.received)} taken, {len(report.failed)} flagged")
        if report.failed:
            raise CommandError(f"{len(report.failed)} message(s) could not be taken")
