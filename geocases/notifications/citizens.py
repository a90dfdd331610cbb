"""What the citizen is told by e-mail, in their language, for the events of
their case they care about: the case taken up, an update from whoever
handles it, the case resolved (with a "not fixed?" link) or reopened.
Nothing for anonymous reports. Queued in the outbox, once per event."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from geocases.cases.lifecycle import Status
from geocases.cases.models import CaseEvent, EventKind
from geocases.notifications.emails import case_facts, email_render
from geocases.notifications.services import notification_queue, notification_replace_unsent

# Every status change the citizen can act on or wait for. "Feedback given"
# is told through its public update (one mail, not two); "assigned" only when
# a case changes hands later, not as it is first sent on after the receipt.
TOLD = {
    Status.ASSIGNED,
    Status.ACKNOWLEDGED,
    Status.PARKED,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REOPENED,
}


def _link(case, follower=None) -> str:
    from geocases.tracking.services import tracking_link_issue

    path = reverse("frontend:track", args=[tracking_link_issue(case=case, follower=follower)])
    return settings.GEOCASES_SITE_URL.rstrip("/") + path


def citizen_can_be_emailed(*, case) -> bool:
    """Whether the citizen hears of their case by e-mail at all: not when the
    report left no address (anonymous, by phone) or it has been anonymised.
    Staff who write to the citizen are told so (they never see the address)."""
    return bool(case.reporter_email)


def citizen_notify(*, event: CaseEvent) -> None:
    """Queue the e-mails an event calls for, if any: to the reporter, and for
    a change of status to each follower (by themselves, in their language,
    without words staff wrote)."""
    case = event.case
    if not event.is_public:
        return
    if event.kind == EventKind.CREATED:
        body_key, extra = "created", ""
    elif event.kind == EventKind.PUBLIC_UPDATE and event.text:
        body_key, extra = "update", event.text
    elif event.kind == EventKind.STATUS and event.new_value in TOLD | {Status.FEEDBACK_GIVEN}:
        if event.new_value == Status.ASSIGNED and event.old_value == Status.NEW:
            return
        body_key, extra = (
            str(event.new_value),
            event.text if event.new_value == Status.PARKED else "",
        )
    else:
        return
    # The reporter hears of feedback through its words (the public update);
    # a follower, who is not given them, by the status.
    if citizen_can_be_emailed(case=case) and body_key != Status.FEEDBACK_GIVEN:
        mail = _mail(case, body_key, extra, language=case.reporter_language or "sv")
        receipt = f"case:{case.pk}:receipt"
        # Closed or parked before the receipt went out: one mail with the
        # outcome in its place. Once the receipt is on its way, a mail of its own.
        if not (_decided_at_once(event) and notification_replace_unsent(key=receipt, **mail)):
            notification_queue(
                key=receipt if body_key == "created" else f"event:{event.pk}",
                recipients=[case.reporter_email],
                case=case,
                **mail,
            )
    if event.kind == EventKind.STATUS:
        for follower in case.followers.filter(confirmed_at__isnull=False):
            notification_queue(
                key=f"event:{event.pk}:follower:{follower.pk}",
                recipients=[follower.email],
                case=case,
                **_mail(case, body_key, "", language=follower.language, follower=follower),
            )


def follower_confirmation_send(*, follower) -> None:
    """Ask the owner of a follower's address whether they want mails about
    the case (anyone may type any address): nothing more goes to an address
    that does not confirm from the link in this mail."""
    case = follower.case
    with override(follower.language or "sv"):
        subject = _("Follow case %(number)s?") % {"number": case.number}
        text, html = _render(
            case,
            subject=subject,
            paragraphs=[
                _(
                    "Someone, perhaps you, asked for e-mail to this address when case "
                    "%(number)s changes. Confirm it on the case's page; if it was not "
                    "you, do nothing: no more mail is sent."
                )
                % {"number": case.number}
            ],
            link=_link(case, follower),
            link_intro=_("Confirm here:"),
            link_label=_("Confirm"),
        )
    notification_queue(
        key=f"follower:{follower.pk}:confirm",
        recipients=[follower.email],
        subject=subject,
        text=text,
        html=html,
        case=case,
    )


def _mail(case, body_key: str, extra: str, *, language: str, follower=None) -> dict[str, str]:
    """Subject, text and HTML of a citizen's e-mail about ``case`` (as
    ``notification_queue`` takes them), in
    ``language``: to the reporter, with what staff wrote to them; to a
    ``follower``, only what became of the case, with their link (which also
    stops the mails)."""
    with override(language):
        # The receipt tells of the registration, whatever routing did next.
        status = (Status.NEW if body_key == "created" else Status(case.status)).label
        names = {"number": case.number, "status": status}
        if follower is not None:  # not their case
            subject = _("The case you follow, %(number)s: %(status)s") % names
            text, html = _render(
                case,
                subject=subject,
                paragraphs=[_("The case you follow, %(number)s, is now “%(status)s”.") % names],
                link=_link(case, follower),
                link_intro=_("See the case, or stop following it, here:"),
                link_label=_("The case"),
            )
            return {"subject": subject, "text": text, "html": html}
        intro = {
            "created": _(
                "Thank you for your report. Your case number is %(number)s; %(unit)s will "
                "handle it."
            ),
            "update": _("There is news about your case %(number)s:"),
            Status.ASSIGNED: _("Your case %(number)s is now handled by %(unit)s."),
            Status.ACKNOWLEDGED: _("Your case %(number)s has been taken up by %(unit)s."),
            Status.PARKED: _("Your case %(number)s is on hold until %(date)s."),
            Status.RESOLVED: _("Your case %(number)s has been resolved."),
            Status.CLOSED: _("Your case %(number)s has been closed."),
            Status.REOPENED: _("Your case %(number)s has been opened again."),
        }[body_key] % {
            "number": case.number,
            "unit": case.responsible_unit.name if case.responsible_unit else "",
            "date": formats.date_format(case.parked_until, "j F Y") if case.parked_until else "",
        }
        paragraphs = [intro]
        quote = extra
        if case.resolution and body_key in (Status.RESOLVED, Status.CLOSED):
            quote = case.resolution
        if body_key == "created" and case.resolve_by:
            expected = formats.date_format(timezone.localtime(case.resolve_by), "j F Y H:i")
            paragraphs.append(_("Expected to be resolved by %(date)s.") % {"date": expected})
        if body_key == Status.RESOLVED:
            link_intro = _("Not fixed? Tell us here, and the case opens again:")
            link_label = _("Not fixed?")
        else:
            link_intro, link_label = _("Follow the case here:"), _("Follow the case")
        subject = _("Your case %(number)s: %(status)s") % names
        text, html = _render(
            case,
            subject=subject,
            paragraphs=paragraphs,
            quote=quote,
            link=_link(case),
            link_intro=link_intro,
            link_label=link_label,
        )
        return {"subject": subject, "text": text, "html": html}


def _render(case, *, subject, paragraphs, link, link_intro, link_label, quote=""):
    """A citizen's e-mail as text and HTML: paragraphs, perhaps a quote, the
    case's public facts and a link (in the language active)."""
    return email_render(
        template="message",
        context={
            "subject": subject,
            "paragraphs": paragraphs,
            "quote": quote,
            "facts": case_facts(case, staff=False),
            "link": link,
            "link_intro": link_intro,
            "link_label": link_label,
        },
    )


def _decided_at_once(event: CaseEvent) -> bool:
    """Closed or parked straight from registration (solved during the call, or
    put on hold): a receipt not yet sent ("… will handle it by …") would
    contradict what follows, so the outcome takes its place."""
    return event.old_value == Status.NEW and event.new_value in (Status.CLOSED, Status.PARKED)
