from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geocases.categories.models import Category, CategoryField, CategoryGroup
from geocases.deadlines.forms import business_hours_fields


@admin.register(CategoryGroup)
class CategoryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sv", "name_en", "order"]


class CategoryFieldInline(admin.TabularInline):
    model = CategoryField
    extra = 0


class CategoryAdminForm(forms.ModelForm):
    """Response targets entered as business hours (see deadlines.forms); the
    admin makes the form for the model and its fieldsets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        business_hours_fields(
            self,
            empty=gettext("Empty: no target."),
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["code", "name_sv", "group", "place_kind", "default_unit", "is_public"]
    list_filter = ["group", "place_kind", "is_public", "is_active"]
    search_fields = ["code", "name_sv", "name_en", "keywords"]
    inlines = [CategoryFieldInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "group",
                    "name_sv",
                    "name_en",
                    "description_sv",
                    "description_en",
                    "keywords",
                    "place_kind",
                    "order",
                    "is_active",
                ]
            },
        ),
        (
            _("Template"),
            {
                "fields": [
                    "template_title_sv",
                    "template_title_en",
                    "template_description",
                    "template_priority",
                ]
            },
        ),
        (
            _("Responsibility and response targets"),
            {"fields": ["default_unit", "acknowledge_within", "feedback_within", "resolve_within"]},
        ),
        (_("Privacy"), {"fields": ["is_public", "concerns_home", "retention_days"]}),
    ]
