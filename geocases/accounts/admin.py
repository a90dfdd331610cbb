from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from geocases.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "email", "phone"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    # What someone may do is their role (the permission matrix): Django's
    # staff flag, groups and per-model permissions would be ticked in vain.
    fieldsets = (
        *(
            fieldset
            for fieldset in DjangoUserAdmin.fieldsets
            if "is_staff" not in fieldset[1]["fields"]
        ),
        (
            _("Role"),
            {"fields": ["role", "unit", "job_title", "phone", "is_active", "is_superuser"]},
        ),
    )
