"""/desk/: the agent's call console. One screen registers a case while the
citizen waits: category (its template, extra fields and knowledge-base
articles), place or none, caller with their earlier cases, the routing
preview, and the outcome — solved now, forwarded, or parked.

The telephone system can open it pre-filled when a call is answered:
``/desk/?phone=0701234567&queue=winter`` (``queue`` is a category group).
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from frontend.forms import StaffChoiceField, refusal_show
from frontend.report_form import (
    ReportForm,
    categories_for_report,
    extra_sections,
    extra_values,
    place_resolve,
    report_text,
)
from geocases.accounts.access import Action
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import status_labels
from geocases.cases.models import Case, Channel
from geocases.cases.services import case_register_by_phone
from geocases.categories.models import Priority
from geocases.core.errors import ApplicationError
from geocases.core.idempotency import form_fingerprint, form_write_once
from geocases.knowledge.selectors import article_search


class DeskForm(ReportForm):
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200)
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"), required=False, choices=[("", "—"), *Priority.choices]
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Contact by"),
        choices=[
            (Channel.PHONE, Channel.PHONE.label),
            (Channel.VISIT, Channel.VISIT.label),
            (Channel.EMAIL, Channel.EMAIL.label),
        ],
        initial=Channel.PHONE,
    )
    no_place = forms.BooleanField(label=gettext_lazy("No place"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("What happens now"),
        choices=[
            ("forward", gettext_lazy("Forward")),
            ("solve", gettext_lazy("Solved now")),
            ("park", gettext_lazy("Park")),
        ],
        initial="forward",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=gettext_lazy("Resolution (when solved now)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_date = forms.DateField(
        label=gettext_lazy("Follow up on (when parked)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    forward_to = StaffChoiceField(
        label=gettext_lazy("Forward to a person (otherwise to the routed unit)"), required=False
    )


def earlier_cases(*, phone: str = "", email: str = ""):
    """The caller's earlier cases, newest first."""
    cases = Case.objects.none()
    if phone.strip():
        cases = cases | Case.objects.by_reporter_phone(phone)
    if email.strip():
        cases = cases | Case.objects.by_reporter_email(email)
    return cases.select_related("category").order_by("-created_at")[:10]


def _register_once(request, register) -> str:
    """``register()`` once per form shown and what it sent: a double click
    on "Register" during a call makes one case. The case's number."""
    return form_write_once(
        scope=f"desk:{request.user.pk}",
        submission=request.POST.get("submission", ""),
        fingerprint=form_fingerprint(request),
        write=lambda: {"number": register()},
    )["number"]


@page_requires(Action.DESK)
def desk(request):
    user = request.user
    categories = list(categories_for_report())
    initial = {"phone": request.GET.get("phone", "")}
    queue = request.GET.get("queue", "")
    form = DeskForm(request.POST or None, categories=categories, initial=initial)
    chosen, candidates = None, []
    refused: dict = {}  # messages for the category's questions, beside them
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in categories if c.code == form.cleaned_data["category"])
        data = form.cleaned_data
        try:
            location, candidates = (
                (None, []) if data["no_place"] else place_resolve(form, chosen, public=False)
            )
            if not form.errors:
                number = _register_once(
                    request,
                    lambda: (
                        case_register_by_phone(
                            actor=Actor.staff(user),
                            category=chosen,
                            outcome=data["outcome"],
                            channel=data["channel"],
                            title=data["title"],
                            description=data["description"],
                            extra=extra_values(request, chosen),
                            priority=data["priority"],
                            location=location,
                            address=data["address"],
                            caller_name=data["name"],
                            caller_email=data["email"],
                            caller_phone=data["phone"],
                            resolution=data["resolution"],
                            follow_up_date=data["follow_up_date"],
                            forward_to=data["forward_to"],
                        ).number
                    ),
                )
                return redirect(f"{reverse('frontend:desk')}?created={number}")
        except ApplicationError as error:
            refusal_show(error, form=form, category=chosen, context=refused)
    elif request.method == "POST" and form.data.get("category"):
        chosen = next((c for c in categories if c.code == form.data["category"]), None)
    created = (
        Case.objects.filter(number=request.GET.get("created", ""))
        .select_related("responsible_unit")
        .first()
    )
    phone = form.data.get("phone") if form.is_bound else initial["phone"]
    email = form.data.get("email", "") if form.is_bound else ""
    context = {
        "form": form,
        "created": created,
        "earlier": earlier_cases(phone=phone or "", email=email),
        "queue": queue,
        "candidates": candidates,
        "articles": article_search(category=chosen) if chosen else [],
        "extra_sections": extra_sections(categories, request.POST, refused.get("extra_errors", {})),
        "form_errors": refused.get("form_errors", False),
        "place_kinds": {category.code: category.place_kind for category in categories},
        "report_text": report_text(),
        "status_labels": status_labels(),
        "templates": {
            category.code: {
                "title": category.template_title_sv,
                "description": category.template_description,
                "priority": category.template_priority,
                "group": category.group.code,
            }
            for category in categories
        },
    }
    return render(request, "frontend/desk.html", context)
