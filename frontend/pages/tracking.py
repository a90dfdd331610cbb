"""/track/<token>/: a citizen follows their case and may say it is not fixed
(someone following a case another reported sees less, and may stop);
/track/: a look-up by case number and e-mail, which e-mails a fresh link;
/follow/<number>/: follow a case already reported instead of reporting it."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from geocases.cases.models import Case
from geocases.cases.selectors import case_history
from geocases.core.errors import ApplicationError
from geocases.core.ratelimits import rate_limited
from geocases.notifications.services import notification_queue
from geocases.tracking.selectors import tracking_link_find
from geocases.tracking.services import (
    case_follow,
    case_reopen_by_citizen,
    case_unfollow,
    follower_confirm,
    reopen_deadline,
    token_hash,
    tracking_link_issue,
)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is still wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LookupForm(forms.Form):
    number = forms.RegexField(
        label=gettext_lazy("Case number"),
        regex=r"^\s*\d{4}-\d{6}\s*$",
        error_messages={
            "invalid": gettext_lazy("Write the number as on the receipt, e.g. 2026-000123.")
        },
        help_text=gettext_lazy("e.g. 2026-000123"),
    )
    email = forms.EmailField(
        label=gettext_lazy("The e-mail address you gave"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@rate_limited(GET="track", HEAD="track", POST="track")
def track(request: HttpRequest, token: str) -> HttpResponse:
    link = tracking_link_find(token=token)
    if link is None:
        raise Http404(_("This link does not lead to a case (it may have been revoked)."))
    case, following = link.case, link.for_follower
    here = reverse("frontend:track", args=[token])
    if request.method == "POST" and following:  # a follower may confirm, or stop following
        if request.POST.get("action") == "confirm":
            follower_confirm(link=link)
            return redirect(f"{here}?confirmed=1")
        case_unfollow(link=link)
        return redirect(f"{here}?unfollowed=1")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_reopen_by_citizen(case=case, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error("reason" if "reason" in error.fields else None, error.message)
        else:
            return redirect(f"{here}?reopened=1")
    deadline = reopen_deadline(case)
    context = {
        "case": case,
        # Someone following a case another reported sees what happened to
        # it, not what staff wrote to the reporter.
        "events": case_history(case=case, public_only=True),
        "follower_view": following,
        "may_unfollow": following and link.follower is not None,
        "may_confirm": following and link.follower is not None and not link.follower.confirmed_at,
        "unfollowed": request.GET.get("unfollowed") == "1",
        "confirmed": request.GET.get("confirmed") == "1",
        "form": form,
        "may_reopen": not following and deadline is not None and timezone.now() <= deadline,
        "reopen_deadline": deadline,
        "reopened": request.GET.get("reopened") == "1",
        "new": request.GET.get("new") == "1",
        "following": {"1": "1", "2": "2"}.get(request.GET.get("following", ""), ""),
        "link": request.build_absolute_uri(here),
    }
    return render(request, "frontend/track.html", context)


@rate_limited(POST="track")
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Never says whether a case exists: the same answer whether or not the
    number and e-mail match, and the link goes only to that e-mail address."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number, email = form.cleaned_data["number"].strip(), form.cleaned_data["email"]
        case = Case.objects.with_number(number).by_reporter_email(email).first()
        if case is not None:
            token = tracking_link_issue(case=case)
            link = request.build_absolute_uri(reverse("frontend:track", args=[token]))
            notification_queue(
                key=f"tracking:{token_hash(token)}",
                recipients=[case.reporter_email],
                subject=_("Your case %(number)s") % {"number": case.number},
                text=_("Follow your case here:\n%(link)s") % {"link": link},
                case=case,
            )
        return render(request, "frontend/track_lookup.html", {"form": LookupForm(), "sent": True})
    return render(request, "frontend/track_lookup.html", {"form": form})


@rate_limited(POST="track")
def follow(request: HttpRequest, number: str) -> HttpResponse:
    """Follow an open case someone else reported, instead of a new one."""
    if request.method != "POST":
        return redirect("frontend:report")
    case = get_object_or_404(Case.objects.public().open(), number=number)
    # The address given in the report, if any: told when the case changes.
    given = FollowForm(request.POST)
    told = given.is_valid() and bool(given.cleaned_data["email"])
    if told:
        case_follow(
            case=case, email=given.cleaned_data["email"], language=(get_language() or "sv")[:2]
        )
    # Not the follower's own link: whoever typed the address need not own it,
    # so it is confirmed from the link mailed to it.
    token = tracking_link_issue(case=case, for_follower=True)
    return redirect(f"{reverse('frontend:track', args=[token])}?following={2 if told else 1}")


class FollowForm(forms.Form):
    email = forms.EmailField(required=False)
