"""/field/: contractors and handlers work their organisation's cases from a
phone — the list (by deadline, or by distance from where they stand), and a
case card with acknowledge, feedback to the citizen, resolve and notes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from frontend.field_forms import FeedbackForm, NoteForm, ResolveForm
from geocases.accounts.access import Action
from geocases.audit.services import audit_case_viewed
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.selectors import case_history, case_list_for_field
from geocases.cases.services import case_attachment_add, case_note_add, case_transition
from geocases.core.errors import ApplicationError
from geocases.core.idempotency import idempotency_claim, idempotency_claimed
from geocases.deadlines.rules import CLOCKS
from geocases.notifications.citizens import citizen_can_be_emailed

# field.js marks the actions it sends from the phone's queue with this header;
# they are answered in JSON (done, or refused and why) instead of a page.
QUEUED = "X-Field-Queue"
# Every field page says whose it is; the service worker keeps the pages of
# one user only, and forgets them when another (or nobody) is answered.
OWNER = "X-Field-User"


def field_text() -> dict[str, str]:
    """What field.js says, in the reader's language."""
    return {
        "queued": _("No connection: saved on the phone, and sent when you are online again."),
        "waiting": _("%(n)s actions are waiting for a connection."),
        "sending": _("Sending what was saved on the phone…"),
        "sent": _("Everything saved on the phone has been sent."),
        "failed": _("An action saved on the phone was refused; open the case to see why."),
        "refused": _("Refused"),
        "open_case": _("Open the case"),
        "forget": _("Remove"),
        "login": _("Log in again to send what is saved on the phone; it is kept until then."),
        "photo_offline": _("Photos need a connection; try again when you are online."),
        "pending": _("Waiting for a connection: it is sent when you are online again."),
        "already": _("This is already saved on the phone and waiting for a connection."),
        "locating": _("Finding where you are…"),
        "located": _("Nearest first"),
        "denied": _(
            "The phone does not let this page know where you are: allow location for this "
            "site in the browser's settings to sort by distance."
        ),
        "unavailable": _(
            "Your position could not be found. Try again, perhaps outdoors; the list "
            "stays in deadline order."
        ),
        "timeout": _(
            "Finding your position took too long. Try again; the list stays in deadline order."
        ),
    }


# What each clock is called on the card and the list.
DEADLINE_LABELS = {
    "acknowledge_by": gettext_lazy("Acknowledge by"),
    "feedback_by": gettext_lazy("Give feedback by"),
    "resolve_by": gettext_lazy("Resolve by"),
}


def field_deadlines(case) -> list[dict]:
    """The deadlines still ahead of the case or passed, soonest first, from
    the annotations of ``case_list_for_field``. None while it is parked: its clocks
    are stopped, and move on by the time they had left when it comes back."""
    if case.status == Status.PARKED:
        return []
    found = [
        {
            "label": DEADLINE_LABELS[deadline],
            "due": getattr(case, deadline),
            "late": bool(getattr(case, f"{deadline}_late")),
        }
        for deadline, _target, met in CLOCKS
        if getattr(case, deadline) is not None and getattr(case, met) is None
    ]
    return sorted(found, key=lambda deadline: deadline["due"])


def field_waits_for(case) -> str:
    """What a case the contractor cannot act on waits for ("" when it is
    theirs to act on): the lifecycle lets only customer service move it on."""
    if case.status == Status.NEW:
        return _("Not yet handed over by customer service: it may still go to someone else.")
    if case.status == Status.REOPENED:
        return _("Reopened: customer service will hand it on again before work goes on.")
    if case.status == Status.PARKED:
        if case.parked_until:
            return _("Parked by customer service until %(date)s.") % {
                "date": formats.date_format(case.parked_until, "j F Y")
            }
        return _("Parked by customer service.")
    return ""


@login_required
def staff_home(request):
    """Where staff land after logging in: contractors in the field view,
    customer service and handlers at the call console, planners at the
    dashboard, administrators in the administration."""
    role = getattr(request.user, "role", "")
    if role == "contractor":
        return redirect("frontend:field")
    if role in ("agent", "handler"):
        return redirect("frontend:desk")
    if role == "planner":
        return redirect("frontend:insights")
    return redirect("admin:index")


@page_requires(Action.FIELD)
def field_list(request):
    user = request.user
    urgent_first = (F("next_deadline").asc(nulls_last=True), "created_at")
    cases = list(case_list_for_field(user=user).order_by(*urgent_first))
    for case in cases:
        case.next_due = next(iter(field_deadlines(case)), None)
        case.waits_for = field_waits_for(case)
    response = render(
        request, "frontend/field_list.html", {"cases": cases, "field_text": field_text()}
    )
    response[OWNER] = str(user.pk)
    return response


@page_requires(Action.FIELD)
def field_case(request, number: str):
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    queued = bool(action) and request.headers.get(QUEUED) == "1"
    scope, key = f"field:{user.pk}", request.POST.get("idempotency_key", "")
    if action and key and idempotency_claimed(scope=scope, key=key):
        # Sent again (its answer was lost, or a second tap): done the first
        # time, even if the case has left the list since (resolved).
        return _answer(request, queued, number)
    case = case_list_for_field(user=user).filter(number=number).first()
    if case is None:
        if queued:
            return _refused(
                _("This case is no longer among your organisation's open cases."), listed=False
            )
        if action:
            return _left_meanwhile(request, user, number)
        raise Http404
    actor = Actor.staff(user)
    forms_ = {
        "feedback": FeedbackForm(request.POST if action == "feedback" else None),
        "resolve": ResolveForm(
            request.POST if action == "resolve" else None,
            request.FILES if action == "resolve" else None,
        ),
        "note": NoteForm(
            request.POST if action == "note" else None,
            request.FILES if action == "note" else None,
        ),
    }
    error = ""
    if action:
        try:
            with transaction.atomic():  # a refused photo undoes the resolution too
                # A phone replaying actions queued offline sends each once only.
                if not key or idempotency_claim(scope=scope, key=key):
                    _act(action, case, actor, forms_)
            return _answer(request, queued, number)
        except ApplicationError as problem:
            if queued:
                return _refused(problem.message, forms_.get(action))
            error = problem.message
    if error:  # the case as it is now, with what its clocks say now
        case = case_list_for_field(user=user).filter(pk=case.pk).first() or case
    context = {
        "case": case,
        "forms": forms_,
        "error": error,
        "events": case_history(case=case),
        "attachments": case.attachments.order_by("created_at"),
        "point": case.location.point_on_surface if case.location else None,
        "deadlines": field_deadlines(case),
        "waits_for": field_waits_for(case),
        "citizen_emailed": citizen_can_be_emailed(case=case),
        "field_text": field_text(),
    }
    audit_case_viewed(user=user, case=case, via="field case page")
    response = render(request, "frontend/field_case.html", context)
    response[OWNER] = str(user.pk)
    return response


# What the contractor typed in each action's form.
TYPED = {"feedback": "message", "resolve": "resolution", "note": "text"}


def _left_meanwhile(request, user, number: str):
    """An action on a case of the user's own organisation that has left the
    list since the card was opened (resolved in another tab or by a
    colleague, closed at the desk): to the list, saying what became of it and
    showing what was typed, so that it can be copied. Another organisation's
    case, or none, says nothing about it: 404 as for any unknown case."""
    case = Case.objects.visible_to(user).held_by(user).filter(number=number).first()
    if case is None:
        raise Http404
    messages.warning(
        request,
        _(
            "Case %(number)s was changed meanwhile: it is now “%(status)s” and no longer on "
            "your list. What you sent was not saved."
        )
        % {"number": case.number, "status": case.get_status_display()},
    )
    typed = request.POST.get(TYPED.get(request.POST.get("action", ""), ""), "").strip()
    if typed:
        messages.info(request, typed[:5000], extra_tags="unsaved")
    return redirect("frontend:field")


def _answer(request, queued: bool, number: str):
    """After an action: the queue gets "done"; a person gets the case card,
    or the list when the case has left it (resolved, passed on)."""
    if queued:
        return JsonResponse({"state": "done"})
    if case_list_for_field(user=request.user).filter(number=number).exists():
        return redirect("frontend:field-case", number=number)
    messages.success(
        request, _("%(number)s is saved and no longer on your list.") % {"number": number}
    )
    return redirect("frontend:field")


def _refused(message: str, form=None, *, listed: bool = True) -> JsonResponse:
    """A queued action that will not be done: why, in the reader's language,
    and whether the case can still be opened from the list."""
    reasons = []
    if form is not None and form.is_bound:
        reasons = [error for errors in form.errors.values() for error in errors]
    return JsonResponse(
        {"state": "refused", "message": " ".join(reasons) or message, "listed": listed},
        status=409,
    )


def _act(action: str, case: Case, actor: Actor, forms_: dict) -> None:
    if action == "acknowledge":
        case_transition(case=case, actor=actor, to=Status.ACKNOWLEDGED)
        return
    if action not in forms_ or not forms_[action].is_valid():
        raise ApplicationError(_("Please check the field marked below."))
    data = forms_[action].cleaned_data
    if action == "feedback":
        case_transition(case=case, actor=actor, to=Status.FEEDBACK_GIVEN, message=data["message"])
    elif action == "resolve":
        case_transition(case=case, actor=actor, to=Status.RESOLVED, resolution=data["resolution"])
    else:
        case_note_add(case=case, actor=actor, text=data["text"], public=data["public"])
    if data.get("photo"):
        # Public only when ticked: a public photo is in the Open311 record for anyone.
        case_attachment_add(
            case=case,
            actor=actor,
            upload=data["photo"],
            filename=data["photo"].name,
            public=data["photo_public"],
        )


def service_worker(request):
    """The field view's service worker, served from /field/ so that it may
    look after every page under it."""
    response = render(request, "frontend/field_sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    response = render(
        request, "frontend/field.webmanifest", content_type="application/manifest+json"
    )
    return response
