"""The export's summary for the person it is about (GDPR art. 12: in an
intelligible form): ``summary.txt`` beside ``data.json``, in Swedish and in
English, with the names of categories, statuses and events instead of codes
and times in the city's time zone instead of UTC.

The headings are written here in both languages rather than translated, as
the file always holds both, whatever language the officer's page is in.
"""

from __future__ import annotations

from django.utils import timezone, translation

from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, Channel, EventKind
from geocases.core.i18n import translated

LABELS = {
    "sv": {
        "title": "Personuppgifter om dig",
        "made": "Sammanställt",
        "found_by": "Hittat med",
        "intro": (
            "Här är det vi har om dig, i läsbar form. Samma uppgifter finns "
            "maskinläsbart i data.json; foton och e-post du skickat finns i mapparna "
            "photos och emails."
        ),
        "cases": "Ärenden",
        "none": "inga",
        "category": "Kategori",
        "status": "Status",
        "channel": "Kanal",
        "registered": "Registrerat",
        "closed": "Avslutat",
        "address": "Adress",
        "reporter": "Anmälare",
        "description": "Beskrivning",
        "resolution": "Åtgärd",
        "from_system": "Inskickat via",
        "history": "Historik",
        "sent": "E-post vi skickat",
        "received": "E-post vi fått",
    },
    "en": {
        "title": "Personal data about you",
        "made": "Compiled",
        "found_by": "Found by",
        "intro": (
            "This is what we hold about you, in readable form. The same data is in "
            "data.json for machines; photos and e-mails you sent are in the folders "
            "photos and emails."
        ),
        "cases": "Cases",
        "none": "none",
        "category": "Category",
        "status": "Status",
        "channel": "Channel",
        "registered": "Registered",
        "closed": "Closed",
        "address": "Address",
        "reporter": "Reporter",
        "description": "Description",
        "resolution": "Resolution",
        "from_system": "Sent through",
        "history": "History",
        "sent": "E-mails we sent",
        "received": "E-mails we received",
    },
}


def subject_summary_text(*, identifiers: str, cases: list[Case], sent: list, received: list) -> str:
    """Both languages, Swedish first; ``cases`` with their events prefetched."""
    return "\n\n".join(
        _summary(language, identifiers, cases, sent, received) for language in ("sv", "en")
    )


def _summary(language: str, identifiers: str, cases, sent, received) -> str:
    words = LABELS[language]
    with translation.override(language):
        lines = [
            *_heading(words["title"], "="),
            f"{words['made']}: {_local(timezone.now())}",
            f"{words['found_by']}: {identifiers}",
            "",
            words["intro"],
            "",
            *_heading(f"{words['cases']} ({len(cases)})"),
        ]
        if not cases:
            lines.append(words["none"])
        for case in cases:
            lines += _case_lines(case, words, language)
        lines += ["", *_heading(f"{words['sent']} ({len(sent)})")]
        lines += [
            f"{_local(n.sent_at or n.created_at)}  {n.case.number if n.case_id else ''}  "
            f"{n.subject}"
            for n in sent
        ] or [words["none"]]
        lines += ["", *_heading(f"{words['received']} ({len(received)})")]
        lines += [f"{_local(e.received_at)}  {e.subject}" for e in received] or [words["none"]]
    return "\n".join(lines)


def _case_lines(case: Case, words: dict, language: str) -> list[str]:
    reporter = ", ".join(
        part for part in (case.reporter_name, case.reporter_email, case.reporter_phone) if part
    )
    facts = [
        ("category", translated(case.category, "name", language)),
        ("status", str(Status(case.status).label)),
        ("channel", str(Channel(case.channel).label)),
        ("registered", _local(case.created_at)),
        ("closed", _local(case.closed_at) if case.closed_at else ""),
        ("address", case.address),
        ("reporter", reporter),
        ("description", case.description),
        ("resolution", case.resolution),
    ]
    if hasattr(case, "open311_submission"):
        facts.append(("from_system", case.open311_submission.api_key.name))
    lines = ["", case.number]
    lines += [f"  {words[key]}: {value}" for key, value in facts if value]
    lines.append(f"  {words['history']}:")
    for event in sorted(case.events.all(), key=lambda e: (e.at, e.pk)):
        what = str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind
        if event.kind == EventKind.STATUS and event.new_value in Status.values:
            what = f"{what}: {Status(event.new_value).label}"
        text = f" — {event.text}" if event.text else ""
        lines.append(f"    {_local(event.at)}  {what}{text}")
    return lines


def _heading(text: str, line: str = "-") -> list[str]:
    return [text, line * len(text)]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
