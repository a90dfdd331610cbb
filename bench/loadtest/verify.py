"""After a load run: the database against the journal of what clients were
told, and the outbox against what the mail server received.

- every report a client was told was accepted (2xx) is one case — not none
  (lost), not two (doubled) — with its "registered" history entry and its
  receipt e-mail in the outbox;
- a report that was refused or got no answer made at most one case;
- every contractor update that was accepted is in the case's history;
- every notification in the outbox was sent, and arrived exactly once.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.loadtest.stack import Mailbox

MARKER = re.compile(r"\[(load-[0-9a-f]{32})\]")
REPORT_KINDS = {"web-form", "api", "open311", "agent"}


@dataclass
class Verification:
    figures: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str, examples: list, count: int | None = None) -> None:
        if examples:
            shown = ", ".join(map(str, examples[:5]))
            self.problems.append(f"{text}: {count or len(examples)} (e.g. {shown})")

    def print(self) -> None:
        print()
        for name, value in self.figures.items():
            print(f"{name:58} {value:9d}")
        if self.problems:
            print("\nVERIFICATION FAILED:")
            for text in self.problems:
                print(f"  - {text}")
        else:
            print("\nverification passed: no case lost or doubled, every notification sent once")


def reports_verify(reports: list[dict], result: Verification) -> None:
    from django.db import connection

    from geocases.cases.models import Case, CaseEvent
    from geocases.notifications.models import Notification

    connection.close()  # the database may have been restarted under us
    cases_by_marker: dict[str, list[int]] = {}
    numbers: dict[int, str] = {}
    for pk, description, number in Case.objects.filter(
        description__startswith="[load-"
    ).values_list("pk", "description", "number"):
        found = MARKER.match(description)
        if found:
            cases_by_marker.setdefault(found.group(1), []).append(pk)
            numbers[pk] = number

    told = [r for r in reports if r["kind"] in REPORT_KINDS]
    accepted = [r for r in told if 200 <= r["status"] < 300]
    others = [r for r in told if not 200 <= r["status"] < 300]
    known = {r["marker"] for r in told}
    lost = [r["marker"] for r in accepted if not cases_by_marker.get(r["marker"])]
    doubled = [m for m, pks in cases_by_marker.items() if len(pks) > 1]
    made_anyway = [r["marker"] for r in others if cases_by_marker.get(r["marker"])]
    unanswered = [m for m in cases_by_marker if m not in known]
    accepted_pks = [cases_by_marker[r["marker"]][0] for r in accepted if r["marker"] not in lost]

    created = set(
        CaseEvent.objects.filter(case_id__in=accepted_pks, kind="created").values_list(
            "case_id", flat=True
        )
    )
    receipts = set(
        Notification.objects.filter(
            key__in=[f"case:{pk}:receipt" for pk in accepted_pks]
        ).values_list("case_id", flat=True)
    )
    result.figures.update(
        {
            "reports accepted (2xx)": len(accepted),
            "reports refused or unanswered": len(others),
            "  of which made a case anyway (answer lost; not doubled)": len(made_anyway),
            "cases made by requests still running when the load stopped": len(unanswered),
            "accepted reports found exactly once": len(accepted) - len(lost),
        }
    )
    result.problem("LOST: accepted reports with no case", lost)
    result.problem("DOUBLED: reports that made more than one case", doubled)
    result.problem(
        "WRONG CASE: answered with a number that is not the report's case",
        [
            r["marker"]
            for r in accepted
            if r.get("number")
            and r["marker"] not in lost
            and numbers[cases_by_marker[r["marker"]][0]] != r["number"]
        ],
    )
    result.problem(
        "accepted cases without their 'registered' history entry",
        [pk for pk in accepted_pks if pk not in created],
    )
    result.problem(
        "accepted cases without their receipt in the outbox",
        [pk for pk in accepted_pks if pk not in receipts],
    )
    _updates_verify(reports, result)


def _updates_verify(reports: list[dict], result: Verification) -> None:
    from geocases.cases.models import CaseEvent

    acknowledged = [
        r["number"] for r in reports if r["kind"] == "acknowledge" and r["status"] == 200
    ]
    updates = [r for r in reports if r["kind"] == "update" and 200 <= r["status"] < 300]
    found_ack = set(
        CaseEvent.objects.filter(
            case__number__in=acknowledged, kind="status", new_value="acknowledged"
        ).values_list("case__number", flat=True)
    )
    texts = set(CaseEvent.objects.filter(text__startswith="[load-").values_list("text", flat=True))
    markers = {MARKER.match(text).group(1) for text in texts if MARKER.match(text)}
    result.figures.update(
        {
            "contractor acknowledgements accepted": len(acknowledged),
            "contractor updates to citizens accepted": len(updates),
        }
    )
    result.problem(
        "acknowledgements missing from the history",
        [n for n in acknowledged if n not in found_ack],
    )
    result.problem(
        "updates to citizens missing from the history",
        [r["number"] for r in updates if r["marker"] not in markers],
    )


def outbox_drain(*, timeout: float) -> int:
    """Wait until nothing in the outbox waits to be sent (the worker and the
    sweep send it, and again what a killed worker had taken, after
    ``OUTBOX_RECLAIM_SECONDS``); returns how many still wait at the end."""
    from django.db import connection

    from geocases.notifications.models import Notification

    deadline = time.monotonic() + timeout
    while True:
        connection.close()
        pending = Notification.objects.filter(status__in=["pending", "sending"]).count()
        if pending == 0 or time.monotonic() > deadline:
            return pending
        time.sleep(2)


def notifications_verify(mailbox: Mailbox, result: Verification) -> None:
    from geocases.notifications.models import Notification
    from geocases.notifications.services import notification_message_id

    by_status = Counter(Notification.objects.values_list("status", flat=True))
    received = Counter(mailbox.received)
    expected: dict[str, int] = {}
    sent: set[int] = set()
    for notification in Notification.objects.only("pk", "key", "status").iterator():
        expected[notification_message_id(notification)] = notification.pk
        if notification.status == "sent":
            sent.add(notification.pk)
    arrived_once = sum(1 for message_id in expected if received.get(message_id) == 1)
    result.figures.update(
        {
            "notifications in the outbox": sum(by_status.values()),
            "  sent": by_status.get("sent", 0),
            "  still pending": by_status.get("pending", 0),
            "  taken by a worker that vanished, not yet sent again": by_status.get("sending", 0),
            "  given up": by_status.get("failed", 0),
            "messages the mail server received": sum(received.values()),
            "notifications that arrived exactly once": arrived_once,
        }
    )
    unsent = sum(count for status, count in by_status.items() if status != "sent")
    result.problem(
        "UNSENT: notifications still pending or given up",
        list(Notification.objects.exclude(status="sent").values_list("key", flat=True)[:5]),
        count=unsent,
    )
    result.problem(
        "notifications marked sent that never arrived",
        [pk for message_id, pk in expected.items() if pk in sent and not received.get(message_id)],
    )
    result.problem(
        "SENT TWICE: notifications that arrived more than once",
        [expected.get(m, m) for m, count in received.items() if count > 1],
    )
    result.problem(
        "messages that match no notification",
        [m for m in received if m not in expected],
    )
