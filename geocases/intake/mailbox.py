"""Reading the service mailbox: a Maildir (where the city's mail server, or
fetchmail/getmail from an IMAP account, delivers). Each message is taken
once: afterwards it moves to ``cur`` marked seen; one that cannot be taken is
marked flagged instead and reported, and is not tried again until someone
clears the flag."""

from __future__ import annotations

import logging
import mailbox
from dataclasses import dataclass, field
from pathlib import Path

from geocases.core.errors import ApplicationError
from geocases.intake.models import InboundEmail
from geocases.intake.services import email_receive

logger = logging.getLogger(__name__)


@dataclass
class MaildirReport:
    received: list[InboundEmail] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, why)


def maildir_read(*, path: Path) -> MaildirReport:
    if not (path / "new").is_dir() or not (path / "cur").is_dir():
        raise ApplicationError(f"{path} is not a Maildir (it needs new/, cur/ and tmp/).")
    box = mailbox.Maildir(path, factory=None, create=False)
    report = MaildirReport()
    for key in sorted(box.keys()):
        try:
            message = box.get_message(key)
        except (KeyError, FileNotFoundError):  # taken by another reader meanwhile
            continue
        if "S" in message.get_flags() or "F" in message.get_flags():
            continue
        with box.get_file(key) as source:
            raw = source.read()
        try:
            report.received.append(email_receive(raw=raw))
            flag = "S"
        except ApplicationError as error:
            report.failed.append((key, error.message))
            logger.warning("e-mail intake: message %s not taken: %s", key, error.message)
            flag = "F"
        message.set_subdir("cur")
        message.add_flag(flag)
        try:
            box[key] = message
        except KeyError:
            continue
    return report
