from django.contrib import admin

from geocases.intake.models import InboundEmail, InboundFile


class InboundFileInline(admin.TabularInline):
    model = InboundFile
    fields = ["filename", "content_type", "size", "file"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What came to the service address and what became of it; read-only."""

    list_display = ["received_at", "sender_email", "subject", "outcome", "case"]
    list_filter = ["outcome"]
    search_fields = ["sender_email", "subject", "message_id", "case__number"]
    readonly_fields = [f.name for f in InboundEmail._meta.fields]
    inlines = [InboundFileInline]
    list_select_related = ["case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
