"""Take one raw RFC 822 message, from a file or standard input — for a mail
server's pipe ("| manage.py email_receive") or to replay a saved message."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geocases.core.errors import ApplicationError
from geocases.intake.services import email_receive


class Command(BaseCommand):
    help = "Make a case of one e-mail message (RFC 822), or add it to the case it quotes."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the .eml file; standard input if left out")

    def handle(self, *args, file=None, **options):
        try:
            raw = Path(file).read_bytes() if file else sys.stdin.buffer.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            inbound = email_receive(raw=raw)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(describe(inbound))


def describe(inbound) -> str:
    if inbound.outcome == "created":
        return f"new case {inbound.case.number} from <{inbound.sender_email or 'unknown'}>"
    if inbound.outcome == "added":
        return f"added to case {inbound.case.number} from <{inbound.sender_email or 'unknown'}>"
    return f"ignored: {inbound.reason}"
