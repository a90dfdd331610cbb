"""GET /api/v1/categories/ and /api/v1/categories/<code>/: what can be
reported, with the template and extra fields, in the reader's language."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import generics, serializers

from api.permissions import allows
from geocases.accounts.access import Action
from geocases.categories.models import Category, CategoryField
from geocases.core.i18n import translated, translated_choice


class CategoryFieldOutput(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    help = serializers.SerializerMethodField()
    choices = serializers.SerializerMethodField()

    class Meta:
        model = CategoryField
        fields = ["code", "label", "help", "datatype", "required", "order", "choices"]

    def get_help(self, field) -> str:
        return translated(field, "help")

    def get_choices(self, field) -> list[dict[str, str]]:
        return [{"key": c["key"], "name": translated_choice(c)} for c in field.choices or []]


class CategoryOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    default_unit = serializers.CharField(source="default_unit.name", read_only=True)
    fields = CategoryFieldOutput(many=True, read_only=True)
    template = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "description",
            "group",
            "group_name",
            "keywords",
            "place_kind",
            "template",
            "fields",
            "acknowledge_within",
            "feedback_within",
            "resolve_within",
            "default_unit",
            "is_public",
        ]

    def get_template(self, category) -> dict[str, str]:
        return {
            "title": category.template_title,
            "description": category.template_description,
            "priority": category.template_priority,
        }


def categories_for(request):
    """Every active category: citizens may report any of them (``is_public``
    only says whether its cases appear on the public map)."""
    categories = Category.objects.filter(is_active=True).select_related("group", "default_unit")
    return categories.prefetch_related(
        Prefetch("fields", queryset=CategoryField.objects.order_by("order", "code"))
    ).order_by("group__order", "order", "code")


class CategoryListView(generics.ListAPIView):
    """Active categories, grouped and ordered as the report form shows them."""

    permission_classes = [allows(GET=Action.PUBLIC_READ)]
    serializer_class = CategoryOutput
    pagination_class = None

    def get_queryset(self):
        return categories_for(self.request)


class CategoryDetailView(generics.RetrieveAPIView):
    permission_classes = [allows(GET=Action.PUBLIC_READ)]
    serializer_class = CategoryOutput
    lookup_field = "code"

    def get_queryset(self):
        return categories_for(self.request)
