"""Data-subject requests in the administration (administrators only): a
form to export or erase what is held about a person, and the record of
every request handled. Cases offer the form for their reporter."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.accounts.access import Action, user_may
from geocases.audit.services import audit_case_viewed
from geocases.core.errors import ApplicationError
from geocases.privacy.models import DataSubjectRequest, RequestKind
from geocases.privacy.selectors import subject_cases_preview
from geocases.privacy.subjects import Subject, subject_erase, subject_export


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=RequestKind.choices)
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=40, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        help_text=gettext_lazy("Who asked, when, and how they were identified."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    list_display = ["handled_at", "kind", "subject_hint", "handled_by"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "subject_hint", "subject_hash", "note", "handled_by", "handled_at"]
    fields = [*readonly_fields, "result"]

    def has_module_permission(self, request) -> bool:
        return user_may(request.user, Action.PRIVACY)

    def has_view_permission(self, request, obj=None) -> bool:
        return user_may(request.user, Action.PRIVACY)

    def has_add_permission(self, request) -> bool:
        return user_may(request.user, Action.PRIVACY)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """The request form. An export is made at once; an erasure is first
        shown case by case (numbers, categories, reporters, what is erased
        and what kept, and why) and carried out only when confirmed, for the
        cases still ticked."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = SubjectRequestForm(request.POST or None, initial=request.GET.dict())
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                subject = Subject(email=data["email"], phone=data["phone"])
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                if data["kind"] == RequestKind.ACCESS:
                    return self._export(request, subject, data["note"])
                if request.POST.get("confirm") != "1":
                    return self._erasure_preview(request, form, subject)
                result = subject_erase(
                    subject=subject,
                    user=request.user,
                    note=data["note"],
                    confirmed=set(request.POST.getlist("erase")),
                )
                messages.success(
                    request,
                    _("Erased: %(erased)s. Kept: %(kept)s.")
                    % {
                        "erased": ", ".join(result.erased) or _("none"),
                        "kept": "; ".join(f"{n} ({why})" for n, why in result.kept.items())
                        or _("none"),
                    },
                )
                return redirect("admin:privacy_datasubjectrequest_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Data-subject request"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/request_form.html", context)

    def _export(self, request, subject: Subject, note: str) -> HttpResponse:
        archive = subject_export(subject=subject, user=request.user, note=note)
        response = HttpResponse(archive, content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.zip"'
        return response

    def _erasure_preview(self, request, form, subject: Subject) -> TemplateResponse:
        preview = subject_cases_preview(subject=subject)
        for item in preview:  # the officer sees whose cases these are
            audit_case_viewed(user=request.user, case=item.case, via="data-subject request")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erasure: check the cases before confirming"),
            "form": form,
            "preview": preview,
            "change_query": urlencode({"email": subject.email, "phone": subject.phone}),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/erasure_preview.html", context)
