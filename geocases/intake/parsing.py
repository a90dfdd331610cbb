"""Reading one raw RFC 822 message into what a case needs: who sent it, the
subject, the text (from the plain part, or the HTML part made plain), the
attachments, whether it quotes a case number, and whether it is an
automatic message that must not be answered."""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from geocases.core.errors import ApplicationError

CASE_NUMBER = re.compile(r"(?<![\d-])(\d{4}-\d{6})(?![\d-])")
# Where a mail program starts quoting the message replied to.
QUOTE_STARTS = re.compile(
    r"^(On .{3,200} wrote:|Den .{3,200} skrev .{0,200}:|-{2,} ?(Original Message|Ursprungligt "
    r"meddelande|Forwarded message|Vidarebefordrat meddelande) ?-{2,}|(From|Från): .+)$",
    re.IGNORECASE,
)
AUTOMATIC_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply)@", re.IGNORECASE)


@dataclass
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    message_id: str
    sender_name: str
    sender_email: str
    subject: str
    text: str
    sent_at: datetime | None
    language: str
    automatic: str  # why it is an automatic message, or ""
    attachments: list[MailAttachment] = field(default_factory=list)

    def case_numbers(self) -> list[str]:
        """Case numbers quoted in the subject first, then in the text."""
        found = CASE_NUMBER.findall(self.subject) + CASE_NUMBER.findall(self.text)
        return list(dict.fromkeys(found))

    def reply_text(self) -> str:
        """The text without the quoted message it replies to."""
        lines = []
        for line in self.text.splitlines():
            if QUOTE_STARTS.match(line.strip()):
                break
            if not line.lstrip().startswith(">"):
                lines.append(line)
        return "\n".join(lines).strip() or self.text


def email_parse(*, raw: bytes) -> ParsedEmail:
    """Parse a raw message; a clear ApplicationError if it is not one."""
    if not raw.strip():
        raise ApplicationError(_("The message is empty."))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys()):
        raise ApplicationError(_("This is not an e-mail message (no headers)."))
    try:
        sender_name, sender_email = email.utils.parseaddr(str(message.get("From", "")))
    except (ValueError, TypeError):  # a header too broken to read
        sender_name, sender_email = "", ""
    try:
        validate_email(sender_email)
    except ValidationError:
        sender_email = ""
    message_id = _header(message, "Message-ID").strip("<> ")
    if not message_id:  # the same bytes read twice are still one message
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    return ParsedEmail(
        message_id=message_id[:300],
        sender_name=sender_name[:200],
        sender_email=sender_email.lower(),
        subject=" ".join(_header(message, "Subject").split())[:300],
        text=_text(message),
        sent_at=_date(message),
        language="en" if _header(message, "Content-Language").lower().startswith("en") else "sv",
        automatic=_automatic(message, sender_email),
        attachments=_attachments(message),
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError, IndexError):  # undecodable encoded words
        return ""


def _date(message: EmailMessage) -> datetime | None:
    try:
        sent = email.utils.parsedate_to_datetime(_header(message, "Date"))
    except (ValueError, TypeError, IndexError):
        return None
    return sent if sent.tzinfo else None


def _text(message: EmailMessage) -> str:
    """The plain part, or the HTML part made plain when there is no plain text."""
    for kind in ("plain", "html"):
        body = message.get_body(preferencelist=(kind,))
        if body is None:
            continue
        try:
            content = body.get_content()
        except (LookupError, ValueError, AssertionError):  # unknown charset, broken encoding
            content = (body.get_payload(decode=True) or b"").decode("utf-8", "replace")
        if kind == "html":
            content = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content)
            content = html.unescape(strip_tags(content))
        lines = [line.rstrip() for line in content.replace("\r\n", "\n").split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if text:
            return text
    return ""


def _attachments(message: EmailMessage) -> list[MailAttachment]:
    found = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        if not data:
            continue
        filename = part.get_filename() or _("attachment")
        found.append(
            MailAttachment(
                filename=filename.replace("/", "_").replace("\\", "_")[-200:],
                content_type=part.get_content_type()[:100],
                data=data,
            )
        )
    return found


def _automatic(message: EmailMessage, sender: str) -> str:
    """Why this is a message no one typed (RFC 3834), or ""."""
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"[:200]
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "X-Autoreply"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if AUTOMATIC_SENDERS.match(sender):
        return f"sender {sender}"[:200]
    return ""
