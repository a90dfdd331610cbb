"""The audit log in the administration: administrators read it; no one
adds, changes or deletes an entry here (nor anywhere: see models)."""

from django.contrib import admin

from geocases.accounts.access import Action, user_may
from geocases.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "case_number", "via"]
    list_filter = ["action", "at"]
    search_fields = ["case_number", "actor_name", "actor__username"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "actor",
        "actor_name",
        "action",
        "case",
        "case_number",
        "via",
        "detail",
    ]
    list_select_related = ["actor"]
    show_full_result_count = False  # the log grows without bound

    def has_module_permission(self, request) -> bool:
        return user_may(request.user, Action.AUDIT_READ)

    def has_view_permission(self, request, obj=None) -> bool:
        return user_may(request.user, Action.AUDIT_READ)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
