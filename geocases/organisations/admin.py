from django.contrib import admin

from geocases.organisations.models import OrganisationUnit


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "email", "phone", "is_active"]
    list_filter = ["kind", "is_active", "handles_customer_service"]
    search_fields = ["name", "code", "email"]
    prepopulated_fields = {"code": ["name"]}
