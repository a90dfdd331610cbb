"""Sample messages as mail programs send them."""

from __future__ import annotations

import io
from email.message import EmailMessage

from PIL import Image


def message(
    *,
    subject: str = "Trasig gatlykta på Hornsgatan",
    body: str = "Lyktan utanför Hornsgatan 12 har varit släckt i en vecka.",
    sender: str = "Karin Berg <karin.berg@example.net>",
    message_id: str = "<abc123@mail.example.net>",
    html: str = "",
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "kundtjanst@stockholm.example.org"
    mail["Subject"] = subject
    mail["Date"] = "Wed, 25 Nov 2026 08:15:00 +0100"
    if message_id:
        mail["Message-ID"] = message_id
    if body:
        mail.set_content(body)
        if html:
            mail.add_alternative(html, subtype="html")
    else:  # HTML only, as some webmail sends
        mail.set_content(html, subtype="html")
    for name, value in (headers or {}).items():  # after the content: it resets Content-*
        mail[name] = value
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return mail.as_bytes()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 0.0), 3: "E", 4: (18.0, 4.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# An Outlook-style reply in Swedish, quoted-printable, quoting our receipt.
OUTLOOK_REPLY = (
    b"From: =?utf-8?q?Karin_Berg?= <karin.berg@example.net>\r\n"
    b"To: kundtjanst@stockholm.example.org\r\n"
    b"Subject: =?utf-8?q?SV=3A_Ditt_=C3=A4rende_{number}=3A_Registrerat?=\r\n"
    b"Date: Thu, 26 Nov 2026 09:02:00 +0100\r\n"
    b"Message-ID: <reply-1@mail.example.net>\r\n"
    b"In-Reply-To: <receipt@geocases>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"Lyktan =C3=A4r fortfarande sl=C3=A4ckt, nu =C3=A4ven grannens.\r\n"
    b"\r\n"
    b"Den 25 nov. 2026 kl. 08:20 skrev geocases <noreply@localhost>:\r\n"
    b"> Tack f=C3=B6r din anm=C3=A4lan. Ditt =C3=A4rendenummer =C3=A4r {number}.\r\n"
)
