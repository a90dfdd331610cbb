"""GET /api/v1/units/ (who can be responsible) and /api/v1/staff/ (the staff
directory, searchable by name and by unit; staff only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from api.permissions import allows
from geocases.accounts.access import Action
from geocases.accounts.models import User
from geocases.accounts.selectors import staff_search
from geocases.organisations.models import OrganisationUnit


class UnitOutput(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrganisationUnit
        fields = ["id", "code", "name", "kind", "parent"]


class UnitListView(generics.ListAPIView):
    """Departments, their teams and contractors (names are public)."""

    permission_classes = [allows(GET=Action.PUBLIC_READ)]
    serializer_class = UnitOutput
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return OrganisationUnit.objects.select_related("parent").order_by("name")


class StaffOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name")
    unit = UnitOutput()

    class Meta:
        model = User
        fields = ["id", "name", "role", "job_title", "unit", "phone", "email"]


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="words of the name, e-mail, phone"),
        OpenApiParameter("unit", OpenApiTypes.STR, description="unit code (with its teams)"),
    ]
)
class StaffSearchView(generics.ListAPIView):
    permission_classes = [allows(GET=Action.STAFF_DIRECTORY)]
    serializer_class = StaffOutput
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        unit_code = self.request.query_params.get("unit")
        unit = OrganisationUnit.objects.filter(code=unit_code).first() if unit_code else None
        if unit_code and unit is None:
            raise ValidationError(
                {"unit": [_("No unit has the code “%(code)s”.") % {"code": unit_code}]}
            )
        return staff_search(query=self.request.query_params.get("q", ""), unit=unit)[:50]
