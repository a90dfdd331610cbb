"""What the cases API reads and writes. Thin: types and shapes only; the
services check everything else and raise ``ApplicationError``."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.fields import CodeField
from geocases.cases.lifecycle import Status
from geocases.cases.models import Attachment, Case, CaseEvent, Channel
from geocases.cases.selectors import case_public_address, case_public_place
from geocases.categories.models import Category, Priority
from geocases.organisations.models import OrganisationUnit

MAX_DESCRIPTION = 5000


class ReporterInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=["sv", "en"], required=False, default="sv")


class CaseCreateInput(serializers.Serializer):
    category = CodeField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION, required=False, allow_blank=True
    )
    extra = serializers.DictField(required=False, help_text="The category's extra fields by code.")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    place = serializers.JSONField(
        required=False, allow_null=True, help_text="A GeoJSON Point or Polygon in WGS84."
    )
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reporter = ReporterInput(required=False)
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, help_text="Staff only; citizens report on the web."
    )
    forward = serializers.BooleanField(required=False, allow_null=True, default=None)


class CaseUpdateInput(serializers.Serializer):
    category = CodeField(
        slug_field="code", queryset=Category.objects.filter(is_active=True), required=False
    )
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION, required=False, allow_blank=True
    )
    extra = serializers.DictField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    place = serializers.JSONField(required=False, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    resolution = serializers.CharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    message = serializers.CharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)
    follow_up_date = serializers.DateField(required=False)
    duplicate_of = CodeField(slug_field="number", queryset=Case.objects.all(), required=False)
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationUnit.objects.all(), required=False
    )


class NoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_DESCRIPTION)
    public = serializers.BooleanField(
        default=False, help_text="True: an update the citizen sees; false: an internal note."
    )


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    public = serializers.BooleanField(default=True)


class AttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = [
            "token",
            "image",
            "thumbnail",
            "content_type",
            "width",
            "height",
            "is_public",
            "created_at",
        ]


class EventOutput(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "actor", "field", "old_value", "new_value", "text", "is_public"]

    def get_actor(self, event) -> str:
        return event.actor.get_full_name() if event.actor_id else event.actor_kind


class UnitRef(serializers.ModelSerializer):
    class Meta:
        model = OrganisationUnit
        fields = ["id", "code", "name"]


class PublicPlaceField(GeometryField):
    """The place as the public may see it (``case_public_place``): a home's
    position only to about 100 m."""

    def __init__(self, **kwargs):
        super().__init__(source="*", precision=7, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(case_public_place(value))


class CasePublicOutput(GeoFeatureModelSerializer):
    """What anyone may read: no reporter, no free text, no internal notes,
    a home neither exactly placed nor addressed."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible_unit = serializers.CharField(source="responsible_unit.name", default=None)
    location = PublicPlaceField()
    address = serializers.SerializerMethodField()
    title = serializers.CharField(source="public_title", read_only=True)

    class Meta:
        model = Case
        geo_field = "location"
        id_field = "number"
        fields = [
            "number",
            "title",
            "status",
            "category",
            "address",
            "responsible_unit",
            "created_at",
            "updated_at",
            "resolve_by",
        ]

    def get_address(self, case) -> str:
        return case_public_address(case)


class CaseAnonymisedOutput(CasePublicOutput):
    """For planners: what the public sees, plus how the case went — no
    person, no free text."""

    class Meta(CasePublicOutput.Meta):
        fields = [
            *CasePublicOutput.Meta.fields,
            "channel",
            "priority",
            "resolved_at_first_contact",
            "acknowledge_by",
            "feedback_by",
            "acknowledged_at",
            "feedback_given_at",
            "resolved_at",
            "closed_at",
        ]


class CaseStaffOutput(GeoFeatureModelSerializer):
    """Everything about a case, for staff."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible_unit = UnitRef(allow_null=True)
    responsible_user = serializers.CharField(source="responsible_user.get_full_name", default=None)
    location = GeometryField(precision=7, allow_null=True)
    attachments = AttachmentOutput(many=True, read_only=True)

    class Meta:
        model = Case
        geo_field = "location"
        id_field = "number"
        fields = [
            "number",
            "status",
            "channel",
            "category",
            "title",
            "description",
            "extra",
            "priority",
            "address",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "reporter_language",
            "responsible_unit",
            "responsible_user",
            "routing",
            "routing_flag",
            "resolution",
            "resolved_at_first_contact",
            "parked_until",
            "acknowledge_by",
            "feedback_by",
            "resolve_by",
            "acknowledged_at",
            "feedback_given_at",
            "resolved_at",
            "closed_at",
            "created_at",
            "updated_at",
            "attachments",
        ]


CONTACT_FIELDS = ["reporter_name", "reporter_email", "reporter_phone"]


class CaseWorkOutput(CaseStaffOutput):
    """For contractors: everything needed to do the work, but not the
    reporter's contact details (customer service keeps in touch)."""

    class Meta(CaseStaffOutput.Meta):
        fields = [f for f in CaseStaffOutput.Meta.fields if f not in CONTACT_FIELDS]
