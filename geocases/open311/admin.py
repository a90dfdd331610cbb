from django.contrib import admin, messages
from django.utils.translation import gettext as _

from geocases.open311.models import ApiKey, Submission
from geocases.open311.services import api_key_issue


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Issuing a key is adding one: the secret is made by ``api_key_issue``
    and shown once, in a message on the next page; it cannot be seen again
    (issue a new key if it is lost, and untick the old one)."""

    list_display = ["name", "prefix", "contact", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact", "prefix"]
    fields = ["name", "contact", "is_active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        raw_key = api_key_issue(api_key=obj)
        messages.warning(
            request,
            _(
                "The API key for “%(name)s” is %(key)s — copy it now and give it to the "
                "system's contact: it is shown only this once."
            )
            % {"name": obj.name, "key": raw_key},
        )

    def has_delete_permission(self, request, obj=None):
        # Cases keep a link to the key they came with: withdraw a key by unticking it.
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """What came in through Open311, and from which system (read only)."""

    list_display = ["case", "api_key", "created_at", "media_url"]
    list_filter = ["api_key"]
    search_fields = ["case__number", "token"]
    list_select_related = ["case", "api_key"]
    readonly_fields = ["case", "api_key", "token", "media_url", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
