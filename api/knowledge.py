"""/api/v1/articles/: the knowledge base for staff (search, read, write with
history), and /api/v1/cases/<number>/checklist/ to tick a checklist item."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cases.views import actor_of, visible_cases
from api.fields import CodeField
from api.permissions import allows
from geocases.accounts.access import Action
from geocases.categories.models import Category
from geocases.knowledge.models import Article, ArticleKind, ArticleVersion, ChecklistItem
from geocases.knowledge.selectors import article_history, article_search
from geocases.knowledge.services import article_save, checklist_tick


class ChecklistItemOutput(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "text", "order"]


class VersionOutput(serializers.ModelSerializer):
    edited_by = serializers.CharField(source="edited_by.get_full_name", default=None)

    class Meta:
        model = ArticleVersion
        fields = ["version", "title", "body", "checklist", "edited_at", "edited_by"]


class ArticleOutput(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    items = ChecklistItemOutput(many=True, read_only=True)
    updated_by = serializers.CharField(source="updated_by.get_full_name", default=None)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "body",
            "kind",
            "categories",
            "items",
            "is_published",
            "version",
            "updated_at",
            "updated_by",
        ]


class ArticleInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    kind = serializers.ChoiceField(choices=ArticleKind.choices, default=ArticleKind.FACTS)
    categories = CodeField(
        slug_field="code", many=True, queryset=Category.objects.all(), required=False
    )
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=50
    )
    is_published = serializers.BooleanField(default=True)


class TickInput(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistItem.objects.select_related("article")
    )
    ticked = serializers.BooleanField(default=True)


def _save(request, article: Article | None) -> Article:
    given = ArticleInput(data=request.data)
    given.is_valid(raise_exception=True)
    data = given.validated_data
    return article_save(
        user=request.user,
        article=article,
        title=data["title"],
        body=data.get("body", ""),
        kind=data["kind"],
        categories=data.get("categories", []),
        checklist=data.get("checklist"),
        is_published=data["is_published"],
    )


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="words (Swedish stemming)"),
        OpenApiParameter("category", OpenApiTypes.STR, description="category code"),
    ]
)
class ArticleListView(generics.ListCreateAPIView):
    permission_classes = [allows(GET=Action.KNOWLEDGE_READ, POST=Action.KNOWLEDGE_WRITE)]
    serializer_class = ArticleOutput
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        code = self.request.query_params.get("category")
        category = get_object_or_404(Category, code=code) if code else None
        return article_search(query=self.request.query_params.get("q", ""), category=category)[:50]

    @extend_schema(request=ArticleInput, responses={201: ArticleOutput})
    def post(self, request):
        return Response(ArticleOutput(_save(request, None)).data, status=status.HTTP_201_CREATED)


class ArticleDetailView(APIView):
    permission_classes = [allows(GET=Action.KNOWLEDGE_READ, PUT=Action.KNOWLEDGE_WRITE)]

    @extend_schema(responses=ArticleOutput)
    def get(self, request, pk: int):
        article = get_object_or_404(article_search(published_only=False), pk=pk)
        body = ArticleOutput(article).data
        body["history"] = VersionOutput(article_history(article=article), many=True).data
        return Response(body)

    @extend_schema(request=ArticleInput, responses=ArticleOutput)
    def put(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        return Response(ArticleOutput(_save(request, article)).data)


class CaseChecklistView(APIView):
    permission_classes = [allows(POST=Action.CASE_WORK)]

    @extend_schema(request=TickInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, number: str):
        case = get_object_or_404(visible_cases(request), number=number)
        given = TickInput(data=request.data)
        given.is_valid(raise_exception=True)
        changed = checklist_tick(
            case=case,
            item=given.validated_data["item"],
            actor=actor_of(request),
            ticked=given.validated_data["ticked"],
        )
        ticked = list(case.ticks.values_list("item_id", flat=True))
        return Response({"changed": changed, "ticked": ticked})
