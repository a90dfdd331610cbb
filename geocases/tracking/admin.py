from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from geocases.tracking.models import TrackingLink
from geocases.tracking.services import tracking_link_revoke


@admin.register(TrackingLink)
class TrackingLinkAdmin(admin.ModelAdmin):
    list_display = ["case", "created_at", "revoked_at"]
    search_fields = ["case__number"]
    readonly_fields = ["case", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # links are issued with the case; the token is shown only then

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        for link in queryset:
            tracking_link_revoke(link=link)
