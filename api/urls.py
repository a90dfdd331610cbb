from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.cases import views as cases
from api.categories import CategoryDetailView, CategoryListView
from api.districts import DistrictListView
from api.insights import CasesInViewView, ClusterView, HeatmapView
from api.knowledge import ArticleDetailView, ArticleListView, CaseChecklistView
from api.organisation import StaffSearchView, UnitListView
from api.places import PlaceSearchView
from api.routing import RoutingPreviewView
from api.service_areas import ServiceAreaListView


class CaseNumber:
    regex = r"[0-9]{4}-[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseNumber, "case")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/districts/", DistrictListView.as_view(), name="district-list"),
    path("v1/insights/clusters/", ClusterView.as_view(), name="insights-clusters"),
    path("v1/insights/heatmap/", HeatmapView.as_view(), name="insights-heatmap"),
    path("v1/insights/cases/", CasesInViewView.as_view(), name="insights-cases"),
    path("v1/categories/", CategoryListView.as_view(), name="category-list"),
    path("v1/categories/<slug:code>/", CategoryDetailView.as_view(), name="category-detail"),
    path("v1/service-areas/", ServiceAreaListView.as_view(), name="service-area-list"),
    path("v1/units/", UnitListView.as_view(), name="unit-list"),
    path("v1/staff/", StaffSearchView.as_view(), name="staff-search"),
    path("v1/routing/preview/", RoutingPreviewView.as_view(), name="routing-preview"),
    path("v1/places/", PlaceSearchView.as_view(), name="place-search"),
    path("v1/cases/", cases.CaseListCreateView.as_view(), name="case-list"),
    path("v1/cases/map/", cases.CaseMapView.as_view(), name="case-map"),
    path("v1/cases/<case:number>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path(
        "v1/cases/<case:number>/transition/",
        cases.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path("v1/cases/<case:number>/notes/", cases.CaseNoteView.as_view(), name="case-notes"),
    path(
        "v1/cases/<case:number>/attachments/",
        cases.CaseAttachmentView.as_view(),
        name="case-attachments",
    ),
    path("v1/cases/<case:number>/history/", cases.CaseHistoryView.as_view(), name="case-history"),
    path(
        "v1/cases/<case:number>/checklist/",
        CaseChecklistView.as_view(),
        name="case-checklist",
    ),
    path("v1/articles/", ArticleListView.as_view(), name="article-list"),
    path("v1/articles/<int:pk>/", ArticleDetailView.as_view(), name="article-detail"),
]
