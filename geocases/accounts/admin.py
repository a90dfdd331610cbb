from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from geocases.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "email", "phone"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("geocases", {"fields": ["role", "unit", "job_title", "phone"]}),
    )
