"""Administration of cases: map widget for the place, the history on the case.

Status and responsibility are changed through the services (with history), so
they are read-only here; fields edited here go through ``case_update``.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geocases.audit.services import audit_case_viewed
from geocases.cases.actors import Actor
from geocases.cases.models import Attachment, Case, CaseEvent
from geocases.cases.services import case_update
from geocases.cases.services.changes import UPDATABLE_FIELDS
from geocases.core.admin import GeoAdmin
from geocases.core.errors import ApplicationError
from geocases.routing.selectors import routing_explanation


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    verbose_name_plural = _("history")
    fields = [
        "at",
        "actor",
        "actor_kind",
        "kind",
        "field",
        "old_value",
        "new_value",
        "text",
        "is_public",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["preview", "original_name", "content_type", "size", "is_public", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, attachment):
        return format_html('<img src="{}" alt="" height="80">', attachment.thumbnail.url)


# Set by the services, shown read-only.
DEADLINES_AND_TIMES = [
    "acknowledge_by",
    "feedback_by",
    "resolve_by",
    "acknowledged_at",
    "feedback_given_at",
    "resolved_at",
    "closed_at",
    "created_at",
    "updated_at",
]


@admin.register(Case)
class CaseAdmin(GeoAdmin):
    list_display = [
        "number",
        "title",
        "category",
        "status",
        "channel",
        "responsible_unit",
        "created_at",
    ]
    list_filter = ["status", "channel", "category", "responsible_unit"]
    search_fields = ["number"]  # the search box is answered by search_any, below
    date_hierarchy = "created_at"
    list_select_related = ["category", "responsible_unit"]
    inlines = [AttachmentInline, CaseEventInline]
    readonly_fields = [
        "number",
        "status",
        "channel",
        "responsible_unit",
        "responsible_user",
        "resolution",
        "resolved_at_first_contact",
        "parked_until",
        "merged_into",
        "routing_explained",
        "anonymised_at",
        *DEADLINES_AND_TIMES,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    "channel",
                    "category",
                    "title",
                    "description",
                    "priority",
                    "extra",
                ]
            },
        ),
        (_("Place"), {"fields": ["location", "address"]}),
        (_("Retention"), {"fields": ["retention_hold", "anonymised_at"]}),
        (
            _("Reporter"),
            {"fields": ["reporter_name", "reporter_email", "reporter_phone", "reporter_language"]},
        ),
        (
            _("Handling"),
            {
                "fields": [
                    "responsible_unit",
                    "responsible_user",
                    "routing_explained",
                    "resolution",
                    "resolved_at_first_contact",
                    "parked_until",
                    "merged_into",
                ]
            },
        ),
        (
            _("Deadlines and times"),
            {"fields": DEADLINES_AND_TIMES},
        ),
    ]

    @admin.display(description=_("why this unit"))
    def routing_explained(self, case):
        return routing_explanation(case.routing)

    actions = ["subject_request"]

    @admin.action(description=_("Data-subject request for the reporter (export or erase)"))
    def subject_request(self, request, queryset):
        case = queryset.exclude(reporter_email="", reporter_phone="").first()
        if case is None or queryset.count() != 1:
            messages.error(request, _("Choose one case whose reporter gave an e-mail or phone."))
            return None
        query = urlencode({"email": case.reporter_email, "phone": case.reporter_phone})
        return redirect(f"{reverse('admin:privacy_datasubjectrequest_add')}?{query}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            case = Case.objects.filter(pk=object_id).first() if object_id.isdigit() else None
            if case is not None:
                audit_case_viewed(user=request.user, case=case, via="administration")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return queryset.search_any(search_term), False

    def has_add_permission(self, request):
        # Cases are registered in the agent console and the API, which number
        # and route them; the admin only corrects them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in UPDATABLE_FIELDS
        }
        if not changes:
            return
        original = Case.objects.get(pk=obj.pk)
        try:
            case_update(case=original, actor=Actor.staff(request.user), **changes)
        except ApplicationError as error:
            request._case_update_refused = True
            messages.error(request, error.message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_case_update_refused", False) and level == messages.SUCCESS:
            return  # the refusal was said instead
        super().message_user(request, message, level, *args, **kwargs)
