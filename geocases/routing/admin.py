from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from geocases.routing.models import RerouteRun


@admin.register(RerouteRun)
class RerouteRunAdmin(admin.ModelAdmin):
    """Re-routing runs, read-only: planners follow a new contract map being applied."""

    list_display = ["requested_at", "reason", "status", "progress", "checked", "changed"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RerouteRun._meta.fields]

    @admin.display(description=_("progress"))
    def progress(self, run):
        return f"{run.percent_done} %"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
