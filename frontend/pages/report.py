"""/ : a citizen reports a problem — category, place (map, own position or
address), description, photos, optional contact — and gets the case number,
who will handle it and a private link to follow it.

Everything works without JavaScript: the extra fields of every category are
in the page (scripts show only the chosen category's), an address is looked
up when the form is sent, and "already reported?" is asked by the server.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from frontend.forms import refusal_show
from frontend.report_form import (
    CitizenReportForm,
    categories_for_report,
    extra_sections,
    extra_values,
    place_resolve,
    report_text,
)
from geocases.cases.selectors import case_nearby_open
from geocases.categories.models import CategoryGroup, PlaceKind
from geocases.core.errors import ApplicationError
from geocases.core.idempotency import form_fingerprint
from geocases.core.ratelimits import (
    RateLimitExceeded,
    rate_limit_check,
    rate_limited,
    retry_after_set,
)
from geocases.tracking.reporting import (
    HELD_PHOTOS_SECONDS,
    citizen_report_photos_held,
    citizen_report_photos_hold,
    citizen_report_sent_before,
    citizen_report_submit,
    citizen_report_submit_once,
    photos_read,
)
from geocases.tracking.services import tracking_link_issue

DUPLICATE_METERS = 100


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context["extra_sections"] = extra_sections(
        context["categories"], request.POST, context.get("extra_errors", {})
    )
    return render(request, "frontend/report.html", context, status=status)


# Every try counts as a read; only a report sent counts as a report, so that
# a form refused for a missing field, or "already reported?", costs nothing
# of the citizen's reports an hour.
@rate_limited(POST="lookup")
def report(request: HttpRequest) -> HttpResponse:
    categories = list(categories_for_report())
    form = CitizenReportForm(request.POST or None, categories=categories)
    context = {
        "form": form,
        "held_minutes": HELD_PHOTOS_SECONDS // 60,
        "groups": CategoryGroup.objects.order_by("order", "code"),
        "categories": categories,
        "max_photos": settings.GEOCASES_MAX_PHOTOS,
        "duplicate_meters": DUPLICATE_METERS,
        "place_kinds": {category.code: category.place_kind for category in categories},
        "report_text": report_text(),
    }
    if request.method != "POST":
        return _page(request, context)
    if not form.is_valid():
        _photos_keep(request, context, submission=form.data.get("submission", ""))
        return _page(request, context)

    # Whether reports nearby were shown is not part of what was sent.
    fingerprint = form_fingerprint(request, leave_out=("duplicates_seen",))
    sent = citizen_report_sent_before(
        submission=form.cleaned_data["submission"], fingerprint=fingerprint
    )
    if sent is not None:  # a second tap, or a resend: not "reported nearby already?"
        return redirect(f"{reverse('frontend:track', args=[tracking_link_issue(case=sent)])}?new=1")
    category = next(c for c in categories if c.code == form.cleaned_data["category"])
    context["chosen"] = category
    submission = form.cleaned_data["submission"]
    try:
        photos = photos_read(request.FILES.getlist("photos"))
        if not photos and form.cleaned_data["photos_held"]:  # the page said it keeps them
            photos = citizen_report_photos_held(submission=submission)
            context["photos_held"] = len(photos)  # should the form come back, still held
            if not photos:  # gone: the report is not sent without them unsaid
                context["form_errors"] = True
                context["photo_errors"] = [
                    _(
                        "Your photos were kept for %(minutes)d minutes and are gone now: "
                        "choose them again, or send the report without them."
                    )
                    % {"minutes": HELD_PHOTOS_SECONDS // 60}
                ]
        location, candidates = place_resolve(form, category)
        if category.place_kind == PlaceKind.NONE and not form.cleaned_data["description"].strip():
            # A question with no place is only its words.
            form.add_error("description", _("Write your question or what it is about."))
        context["candidates"] = candidates
        if form.errors or context.get("form_errors"):
            _photos_keep(request, context, submission=submission, photos=photos)
            return _page(request, context)
        if location is not None and not form.cleaned_data["duplicates_seen"]:
            nearby = list(
                case_nearby_open(category=category, location=location, meters=DUPLICATE_METERS)[:5]
            )
            if nearby:
                held = _photos_keep(request, context, submission=submission, photos=photos)
                context.update(
                    duplicates=nearby, location=location, photos_lost=bool(photos) and not held
                )
                form.data = form.data.copy()
                form.data["duplicates_seen"] = "on"
                # The place as it was understood (a chosen or found address),
                # not as it was typed, is what the report is sent with.
                form.data["address"] = form.cleaned_data["address"]
                form.data["placed_for"] = form.cleaned_data.get("placed_for", "")
                form.data.pop("place_choice", None)
                if location.geom_type == "Point":
                    form.data["lat"], form.data["lon"] = location.y, location.x
                return _page(request, context)
        try:
            rate_limit_check(request, "report")
        except RateLimitExceeded as exceeded:
            return _limited(request, context, photos=photos, exceeded=exceeded)
        token = citizen_report_submit_once(
            submission=form.cleaned_data["submission"],
            fingerprint=fingerprint,
            submit=lambda: citizen_report_submit(
                category=category,
                location=location,
                address=form.cleaned_data["address"],
                description=form.cleaned_data["description"],
                extra=extra_values(request, category),
                photos=photos,
                reporter_name=form.cleaned_data["name"],
                reporter_email=form.cleaned_data["email"],
                reporter_phone=form.cleaned_data["phone"],
                language=(get_language() or "sv")[:2],
            ),
        )
    except ApplicationError as error:
        refusal_show(error, form=form, category=category, context=context)
        return _page(request, context)
    return redirect(f"{reverse('frontend:track', args=[token])}?new=1")


def _limited(request, context: dict, *, photos, exceeded: RateLimitExceeded) -> HttpResponse:
    """Too many reports from this address: the form again, as it was sent
    (its photos held), with when it can be sent (429)."""
    form = context["form"]
    _photos_keep(request, context, submission=form.cleaned_data["submission"], photos=photos)
    minutes = exceeded.minutes
    form.add_error(
        None,
        ngettext(
            "We have received many reports from your address in a short time. Your report "
            "is kept here: send it again in %(minutes)d minute. If something is urgent, "
            "call the city's customer service.",
            "We have received many reports from your address in a short time. Your report "
            "is kept here: send it again in %(minutes)d minutes. If something is urgent, "
            "call the city's customer service.",
            minutes,
        )
        % {"minutes": minutes},
    )
    response = _page(request, context, status=429)
    return retry_after_set(response, exceeded)


def _photos_keep(request, context: dict, *, submission: str, photos=None) -> bool:
    """A form sent back keeps its photos: those chosen with it (a browser
    does not send files again) are held for its next sending, and those
    held before still are. Whether photos chosen now were held."""
    try:
        if photos is None:
            photos = photos_read(request.FILES.getlist("photos"))
    except ApplicationError as error:
        context["photo_errors"] = error.fields.get("photos") or [error.message]
        return False
    if photos:
        held = citizen_report_photos_hold(submission=submission, photos=photos)
        if held:
            context["photos_held"] = len(photos)
        return held
    if "photos_held" not in context and request.POST.get("photos_held", "0") not in ("", "0"):
        context["photos_held"] = len(citizen_report_photos_held(submission=submission))
    return False
