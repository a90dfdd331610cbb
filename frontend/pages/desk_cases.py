"""/desk/queues/<queue>/ and /desk/cases/<number>/: customer service's work
queues and a case's page — its full history, internal notes and public
updates, forwarding to a unit or a person, merging a duplicate, and the
category's checklists."""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from frontend.forms import StaffChoiceField
from geocases.accounts.access import Action
from geocases.audit.models import AuditAction
from geocases.audit.services import audit_case_viewed, audit_record
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import Needs, Status, transitions_allowed
from geocases.cases.models import Case
from geocases.cases.selectors import case_history
from geocases.cases.services import case_assign, case_merge, case_note_add, case_transition
from geocases.core.errors import ApplicationError
from geocases.core.i18n import translated, translated_choice
from geocases.intake.models import InboundFile
from geocases.knowledge.models import ChecklistItem
from geocases.knowledge.selectors import article_search
from geocases.knowledge.services import checklist_tick
from geocases.organisations.models import OrganisationUnit
from geocases.routing.selectors import routing_explanation

QUEUES = {
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("My team's"),
    "parked_due": gettext_lazy("Parked, due today"),
    "overdue": gettext_lazy("Overdue"),
    "unassigned": gettext_lazy("Unassigned"),
}


def queue_cases(user, queue: str):
    cases = Case.objects.visible_to(user)
    if queue == "mine":
        cases = cases.assigned_to(user)
    elif queue == "team":
        cases = cases.for_team(user.unit) if user.unit_id else cases.none()
    elif queue == "parked_due":
        cases = cases.parked_due(timezone.localdate())
    elif queue == "overdue":
        cases = cases.overdue(timezone.now())
    else:
        cases = cases.unassigned()
    return (
        cases.with_deadlines(timezone.now())
        .select_related("category", "responsible_unit", "responsible_user")
        .order_by(F("next_deadline").asc(nulls_last=True), "created_at")
    )


@page_requires(Action.DESK)
def desk_queue(request, queue: str = "mine"):
    user = request.user
    if queue not in QUEUES:
        raise Http404(_("There is no such work queue."))
    counts = {name: queue_cases(user, name).count() for name in QUEUES}
    context = {
        "queues": [(name, label, counts[name]) for name, label in QUEUES.items()],
        "queue": queue,
        "queue_label": QUEUES[queue],
        "cases": queue_cases(user, queue)[:200],
        "now": timezone.now(),
    }
    return render(request, "frontend/desk_queue.html", context)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(
        label=gettext_lazy("Public update (the citizen sees it)"), required=False
    )


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        required=False,
        queryset=OrganisationUnit.objects.order_by("name"),
    )
    person = StaffChoiceField(label=gettext_lazy("Or a person"), required=False)


class StatusForm(forms.Form):
    """A change of status the lifecycle table lets this user make here (a
    merge and a forward have forms of their own), with what it needs."""

    to = forms.ChoiceField(label=gettext_lazy("New status"))
    resolution = forms.CharField(
        label=gettext_lazy("What was done (when resolved or closed)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=gettext_lazy("Feedback to the citizen (when feedback is given)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (when reopened)"), required=False, max_length=2000
    )
    follow_up_date = forms.DateField(
        label=gettext_lazy("Follow up on (when parked)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, targets: list[Status], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(str(to), to.label) for to in targets]


def status_targets(case: Case, actor: Actor) -> list[Status]:
    """The statuses ``actor`` may move ``case`` to from the case page: those
    the lifecycle allows, except a merge and a forward (forms of their own)."""
    allowed = transitions_allowed(case.status, actor.kind, parked_from=case.status_before_parking)
    return [
        to
        for to, rule in allowed.items()
        if not {Needs.DUPLICATE_OF, Needs.RESPONSIBLE} & rule.needs
    ]


class MergeForm(forms.Form):
    into = forms.RegexField(
        label=gettext_lazy("Merge into case number"), regex=r"^\s*\d{4}-\d{6}\s*$"
    )


def extra_answers(case: Case) -> list[tuple[str, str]]:
    """The answers to the category's own questions, as the form asked them:
    each question's label and the answer (a choice by its name)."""
    answers = []
    for field in case.category.fields.all():
        value = (case.extra or {}).get(field.code)
        if value in (None, "", []):
            continue
        names = {choice["key"]: translated_choice(choice) for choice in field.choices or []}
        values = value if isinstance(value, list) else [value]
        answers.append(
            (translated(field, "label"), ", ".join(str(names.get(v, v)) for v in values))
        )
    return answers


@page_requires(Action.DESK)
def desk_case(request, number: str):
    user = request.user
    case = get_object_or_404(Case.objects.visible_to(user), number=number)
    actor = Actor.staff(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_ = {
        "note": NoteForm(request.POST if action == "note" else None),
        "forward": ForwardForm(request.POST if action == "forward" else None),
        "merge": MergeForm(request.POST if action == "merge" else None),
        "status": StatusForm(
            request.POST if action == "status" else None, targets=status_targets(case, actor)
        ),
    }
    error = ""
    if action:
        try:
            _act(action, case, actor, forms_, request.POST)
            return redirect("frontend:desk-case", number=number)
        except ApplicationError as problem:
            error = problem.message
    ticked = set(case.ticks.values_list("item_id", flat=True))
    context = {
        "case": case,
        "forms": forms_,
        "error": error,
        "events": case_history(case=case),
        "answers": extra_answers(case),
        "routing": routing_explanation(case.routing) if case.routing else "",
        "articles": article_search(category=case.category),
        "ticked": ticked,
        "emails": case.emails.prefetch_related("files").order_by("received_at"),
    }
    audit_case_viewed(user=user, case=case, via="desk case page")
    return render(request, "frontend/desk_case.html", context)


@page_requires(Action.DESK)
def desk_case_email(request, number: str, pk: int):
    """A received e-mail as it came (.eml), for a mail program to open."""
    case = get_object_or_404(Case.objects.visible_to(request.user), number=number)
    inbound = get_object_or_404(case.emails, pk=pk)
    _audit_file(request, case, f"e-mail {inbound.pk}")
    return _download(inbound.original, f"{case.number}-{inbound.pk}.eml", "message/rfc822")


@page_requires(Action.DESK)
def desk_case_email_file(request, number: str, pk: int):
    """A file attached to a received e-mail, always as a download: an HTML
    or SVG attachment must never run as a page of ours."""
    case = get_object_or_404(Case.objects.visible_to(request.user), number=number)
    attached = get_object_or_404(InboundFile.objects.filter(email__case=case), pk=pk)
    _audit_file(request, case, f"e-mail file {attached.pk}")
    return _download(attached.file, attached.filename, "application/octet-stream")


def _audit_file(request, case: Case, what: str) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.ATTACHMENT_VIEWED,
        case=case,
        via="desk case page",
        detail={"file": what},
    )


def _download(stored, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _act(action, case, actor, forms_, data) -> None:
    if action == "tick":
        item = ChecklistItem.objects.filter(pk=data.get("item", "")).first()
        if item is None:
            raise ApplicationError(_("There is no such checklist item."))
        checklist_tick(case=case, item=item, actor=actor, ticked=data.get("ticked") == "1")
        return
    form = forms_.get(action)
    if form is None or not form.is_valid():
        raise ApplicationError(_("Please check the field marked below."))
    values = form.cleaned_data
    if action == "note":
        case_note_add(case=case, actor=actor, text=values["text"], public=values["public"])
    elif action == "forward":
        case_assign(case=case, actor=actor, unit=values["unit"], user=values["person"])
    elif action == "status":
        case_transition(case=case, actor=actor, **values)  # the form's fields are its keys
    else:
        into = Case.objects.filter(number=values["into"].strip()).first()
        if into is None or into.pk == case.pk:
            raise ApplicationError(_("Give the number of another case."))
        case_merge(duplicate=case, into=into, actor=actor)
