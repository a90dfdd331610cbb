"""/desk/search/: customer service finds a case while the caller waits — by
its number (also as read out: "735", "2026-735"), the caller's e-mail or
phone, words, category, status, or near an address."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from geocases.accounts.access import Action
from geocases.audit.services import audit_cases_searched
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.numbers import case_number_as_written
from geocases.cases.selectors import case_search
from geocases.categories.models import Category
from geocases.geocoding.selectors import place_search_one

MOST_SHOWN = 100


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Case number, e-mail, phone or words"), required=False, max_length=200
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        queryset=Category.objects.order_by("name_sv"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Status.choices],
    )
    near = forms.CharField(
        label=gettext_lazy("Near an address or place"), required=False, max_length=300
    )
    meters = forms.IntegerField(
        label=gettext_lazy("Within (metres)"), required=False, min_value=10, max_value=5000
    )

    def clean(self):
        data = super().clean()
        near = (data.get("near") or "").strip()
        data["point"] = None
        if near:
            found, candidates = place_search_one(query=near)
            if found is None and len(candidates) == 1:  # a street, say: its middle
                found = candidates[0]
            if found is not None:
                data["point"] = found.point
                data["near_label"] = found.label
            elif candidates:
                self.add_error(
                    "near",
                    _("Several places match: %(places)s. Write one of them.")
                    % {"places": "; ".join(hit.label for hit in candidates)},
                )
            else:
                self.add_error("near", _("We could not find “%(address)s”.") % {"address": near})
        return data

    def asks(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("q", "category", "status", "point"))


def cases_searched(user, data: dict):
    """The cases ``user`` may see that match the search (the newest first):
    the box matches any of number, e-mail, phone or words (``search_any``),
    the other fields narrow as ``case_search`` does."""
    cases = Case.objects.visible_to(user)
    text = (data.get("q") or "").strip()
    if text:
        number = case_number_as_written(text)
        found = cases.search_any(text)
        cases = (found | cases.with_number(number)) if number else found
    return (
        case_search(
            queryset=cases,
            categories=[data["category"]] if data.get("category") else None,
            statuses=[data["status"]] if data.get("status") else None,
            near=data.get("point"),
            near_meters=data.get("meters") or 200,
        )
        .with_deadlines(timezone.now())
        .select_related("responsible_user")
        .order_by("-created_at", "-id")
    )


@page_requires(Action.DESK)
def desk_search(request):
    form = CaseSearchForm(request.GET or None)
    context = {"form": form, "cases": None}
    if form.is_bound and form.is_valid() and form.asks():
        found = list(cases_searched(request.user, form.cleaned_data)[: MOST_SHOWN + 1])
        context.update(cases=found[:MOST_SHOWN], more=len(found) > MOST_SHOWN)
        audit_cases_searched(
            user=request.user,
            text=form.cleaned_data.get("q") or "",
            found=[case.number for case in found[:MOST_SHOWN]],
            via="desk search",
        )
    return render(request, "frontend/desk_search.html", context)
