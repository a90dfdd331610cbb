"""/api/v1/cases/: list (GeoJSON), create, detail, update, transition, notes,
attachments and history. Views only translate HTTP to services and back."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cases.filters import CaseFilter
from api.cases.serializers import (
    AttachmentInput,
    AttachmentOutput,
    CaseAnonymisedOutput,
    CaseCreateInput,
    CasePublicOutput,
    CaseStaffOutput,
    CaseUpdateInput,
    CaseWorkOutput,
    EventOutput,
    NoteInput,
    TransitionInput,
)
from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, feature_page
from api.permissions import allows
from geocases.accounts.access import Action, Scope, is_staff_member, scope_of, user_may
from geocases.areas.services import place_in_city_check
from geocases.audit.services import audit_case_viewed, audit_cases_searched
from geocases.cases.actors import CITIZEN, Actor
from geocases.cases.models import Attachment, Case, CaseEvent, Channel
from geocases.cases.selectors import case_clusters, case_features, case_history
from geocases.cases.services import (
    case_attachment_add,
    case_create,
    case_note_add,
    case_transition,
    case_update,
)
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_from_geojson, place_from_lat_lon
from geocases.core.idempotency import idempotent_write, request_fingerprint
from geocases.tracking.services import tracking_link_issue

MAP_COLLECTION = inline_serializer(
    "CaseMapCollection",
    {
        "type": serializers.CharField(default="FeatureCollection"),
        "clustered": serializers.BooleanField(),
        "features": serializers.ListField(child=serializers.DictField()),
    },
)

FEATURE_COLLECTION = inline_serializer(
    "CaseFeatureCollection",
    {
        "type": serializers.CharField(default="FeatureCollection"),
        "count": serializers.IntegerField(help_text="All matching cases, on every page."),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "features": serializers.ListField(child=serializers.DictField()),
    },
)


def actor_of(request) -> Actor:
    return Actor.staff(request.user) if is_staff_member(request.user) else CITIZEN


def place_of(data: dict):
    """The place given as GeoJSON (``place``) or as ``lat`` and ``lon``."""
    if data.get("place") is not None:
        return place_from_geojson(data["place"])
    if data.get("lat") is not None or data.get("lon") is not None:
        if data.get("lat") is None or data.get("lon") is None:
            raise ApplicationError.for_field("lat", _("Give both lat and lon."))
        return place_from_lat_lon(data["lat"], data["lon"])
    return None


def visible_cases(request):
    return Case.objects.visible_to(request.user).select_related(
        "category", "responsible_unit", "responsible_user"
    )


def case_output(request, case: Case, *, audit: bool = True) -> dict:
    """The case as this user may see it; opening its personal data is
    written to the audit log (not when the user has just registered it)."""
    user = request.user
    if user_may(user, Action.CASE_CONTACT):
        serializer = CaseStaffOutput
    elif user_may(user, Action.CASE_PERSONAL):
        serializer = CaseWorkOutput
    elif scope_of(user) == Scope.ANONYMISED:
        serializer = CaseAnonymisedOutput
    else:
        serializer = CasePublicOutput
    if audit and serializer in (CaseStaffOutput, CaseWorkOutput):
        audit_case_viewed(user=user, case=case, via=f"api {request.method} {request.path}")
    return serializer(case, context={"request": request}).data


def anonymised(request) -> bool:
    """Lists for this user leave out addresses and exact places of homes."""
    return scope_of(request.user) in (Scope.PUBLIC, Scope.ANONYMISED)


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page", OpenApiTypes.INT, description="The page, from 1 (see `next` and `previous`)"
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=f"Cases per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})",
    ),
]


class CaseListCreateView(generics.GenericAPIView):
    permission_classes = [allows(GET=Action.PUBLIC_READ, POST=Action.REPORT)]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    serializer_class = CaseCreateInput

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user)

    @extend_schema(
        summary="Cases as a GeoJSON FeatureCollection, filtered, ordered and paged",
        operation_id="cases_list",
        responses={200: FEATURE_COLLECTION},
        filters=True,  # the filterset's parameters; a GeoJSON page is not a list schema
        parameters=PAGE_PARAMETERS,
    )
    def get(self, request):
        cases = self.filter_queryset(self.get_queryset())
        if is_staff_member(request.user):  # a person's cases looked up by their e-mail or phone
            audit_cases_searched(
                user=request.user, text=request.query_params.get("q", ""), via="api cases list"
            )
        if not request.query_params.get("ordering"):
            cases = cases.order_by("-created_at", "-id")
        features = case_features(cases=cases, public=anonymised(request))
        return feature_page(request, features=features, count_of=cases)

    @extend_schema(
        summary="Register a case; it is routed at once",
        request=CaseCreateInput,
        responses={201: CaseStaffOutput, 400: OpenApiResponse(description="Invalid input")},
    )
    def post(self, request):
        given = CaseCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        staff = user_may(request.user, Action.CASE_REGISTER)
        if staff:
            default = (
                Channel.API
                if isinstance(request.successful_authenticator, TokenAuthentication)
                else Channel.PHONE
            )
            channel = data.get("channel", default)
        else:
            channel = Channel.WEB
        reporter = data.get("reporter", {})
        location = place_of(data)
        if not staff:
            place_in_city_check(location=location, field="place")

        def create() -> Case:
            return case_create(
                actor=actor_of(request),
                channel=channel,
                category=data["category"],
                title=data.get("title", ""),
                description=data.get("description", ""),
                extra=data.get("extra"),
                priority=data.get("priority", ""),
                location=location,
                address=data.get("address", ""),
                reporter_name=reporter.get("name", ""),
                reporter_email=reporter.get("email", ""),
                reporter_phone=reporter.get("phone", ""),
                reporter_language=reporter.get("language", "sv"),
                forward=data.get("forward") if staff else None,
            )

        key = request.headers.get("Idempotency-Key", "").strip()
        replayed = False
        if key:  # a retry of a request that made its case gets that case back
            result, replayed = idempotent_write(
                scope=f"api:cases:{request.user.pk or 'public'}",
                key=key,
                fingerprint=request_fingerprint(dict(request.data.items())),
                write=lambda: {"case": create().pk},
            )
            case_pk = result["case"]
        else:
            case_pk = create().pk
        # The reporter gets the case back even when it is not on the public map.
        case = Case.objects.select_related("category", "responsible_unit", "responsible_user").get(
            pk=case_pk
        )
        body = case_output(request, case, audit=False)
        if not staff:  # the reporter's private link to follow the case
            token = tracking_link_issue(case=case)
            body["properties"]["tracking_url"] = request.build_absolute_uri(
                reverse("frontend:track", args=[token])
            )
        response = Response(body, status=status.HTTP_201_CREATED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class CaseDetailView(APIView):
    serializer_class = CaseUpdateInput

    permission_classes = [allows(GET=Action.PUBLIC_READ, PATCH=Action.CASE_WORK)]

    def case(self, request, number: str) -> Case:
        cases = visible_cases(request).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at"))
        )
        return get_object_or_404(cases, number=number)

    @extend_schema(
        summary="One case (personal data for staff only)",
        operation_id="cases_detail",
        responses=CaseStaffOutput,
    )
    def get(self, request, number: str):
        return Response(case_output(request, self.case(request, number)))

    @extend_schema(
        summary="Change fields of a case", request=CaseUpdateInput, responses=CaseStaffOutput
    )
    def patch(self, request, number: str):
        case = self.case(request, number)
        given = CaseUpdateInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        if "place" in changes:
            place = changes.pop("place")
            changes["location"] = place_from_geojson(place) if place is not None else None
        if changes:
            case_update(case=case, actor=actor_of(request), **changes)
        return Response(case_output(request, self.case(request, number)))


class CaseTransitionView(APIView):
    permission_classes = [allows(POST=Action.CASE_WORK)]
    serializer_class = TransitionInput

    @extend_schema(
        summary="Move a case along its lifecycle",
        request=TransitionInput,
        responses=CaseStaffOutput,
    )
    def post(self, request, number: str):
        case = get_object_or_404(visible_cases(request), number=number)
        given = TransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        case_transition(case=case, actor=actor_of(request), **given.validated_data)
        return Response(case_output(request, get_object_or_404(visible_cases(request), pk=case.pk)))


class CaseNoteView(APIView):
    permission_classes = [allows(POST=Action.CASE_WORK)]
    serializer_class = NoteInput

    @extend_schema(
        summary="Add an internal note or a public update",
        request=NoteInput,
        responses={201: EventOutput},
    )
    def post(self, request, number: str):
        case = get_object_or_404(visible_cases(request), number=number)
        given = NoteInput(data=request.data)
        given.is_valid(raise_exception=True)
        event = case_note_add(case=case, actor=actor_of(request), **given.validated_data)
        return Response(EventOutput(event).data, status=status.HTTP_201_CREATED)


class CaseAttachmentView(APIView):
    permission_classes = [allows(POST=Action.CASE_WORK)]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = AttachmentInput

    @extend_schema(
        summary="Add a photo", request=AttachmentInput, responses={201: AttachmentOutput}
    )
    def post(self, request, number: str):
        case = get_object_or_404(visible_cases(request), number=number)
        given = AttachmentInput(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        attachment = case_attachment_add(
            case=case,
            actor=actor_of(request),
            upload=upload,
            filename=upload.name,
            public=given.validated_data["public"],
        )
        return Response(
            AttachmentOutput(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CaseHistoryView(generics.ListAPIView):
    permission_classes = [allows(GET=Action.CASE_PERSONAL)]
    serializer_class = EventOutput
    pagination_class = None

    @extend_schema(summary="The case's history, oldest first")
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit_case_viewed(user=request.user, case=self.case, via=f"api GET {request.path}")
        return response

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return CaseEvent.objects.none()
        self.case = get_object_or_404(visible_cases(self.request), number=self.kwargs["number"])
        return case_history(case=self.case)


# From this zoom on the public map shows each case; below it, counts per cell.
INDIVIDUAL_ZOOM = 16
MAP_LIMIT = 1000


class CaseMapView(generics.GenericAPIView):
    """The public map: public cases only, never personal data. Below zoom 16
    counts per grid cell (``properties.count``), from 16 on each case (at
    most 1000, newest first). ``bbox`` and ``zoom`` are required; the cases
    list's filters apply (``category``, ``status``, ``created_after``…)."""

    permission_classes = [allows(GET=Action.PUBLIC_READ)]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return Case.objects.public()

    @extend_schema(
        summary="Public cases for a map view: clusters, or cases when zoomed in",
        operation_id="cases_map",
        filters=True,
        parameters=[
            OpenApiParameter("zoom", OpenApiTypes.INT, required=True, description="0 to 20"),
            OpenApiParameter(
                "bbox",
                OpenApiTypes.STR,
                required=True,
                description="The map's box: min_lon,min_lat,max_lon,max_lat (WGS84), "
                "e.g. 18.0,59.3,18.1,59.35",
            ),
            OpenApiParameter("ordering", exclude=True),  # cases come newest first
        ],
        responses={200: MAP_COLLECTION},
    )
    def get(self, request):
        raw_zoom = request.query_params.get("zoom", "")
        if not raw_zoom.isdigit() or int(raw_zoom) > 20:
            raise ApplicationError.for_field("zoom", _("Give the zoom level, 0 to 20."))
        if not request.query_params.get("bbox"):
            raise ApplicationError.for_field("bbox", _("Give the map's box."))
        zoom = int(raw_zoom)
        cases = self.filter_queryset(self.get_queryset())
        if zoom >= INDIVIDUAL_ZOOM:
            features = case_features(
                cases=cases.filter(location__isnull=False).order_by("-created_at")[:MAP_LIMIT],
                public=True,
            )
            body = (
                '{"type": "FeatureCollection", "clustered": false, "features": ['
                + ",".join(features)
                + "]}"
            )
            return HttpResponse(body, content_type="application/json")
        return Response(
            {
                "type": "FeatureCollection",
                "clustered": True,
                "features": case_clusters(cases=cases, zoom=zoom),
            }
        )
