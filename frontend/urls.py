from django.contrib.auth import views as auth
from django.urls import path

from frontend.pages import (
    desk,
    desk_articles,
    desk_cases,
    desk_search,
    field,
    followup,
    insights,
    public_map,
    report,
    tracking,
)
from geocases.core.ratelimits import rate_limited

app_name = "frontend"

urlpatterns = [
    path("", report.report, name="report"),
    path("follow/<str:number>/", tracking.follow, name="follow"),
    path("map/", public_map.public_map, name="map"),
    path("staff/", field.staff_home, name="staff-home"),
    path("staff/followup/", followup.followup, name="followup"),
    path("insights/", insights.insights, name="insights"),
    path(
        "insights/export.<str:kind>",
        insights.insights_export,
        name="insights-export",
    ),
    path("desk/", desk.desk, name="desk"),
    path("desk/queues/<str:queue>/", desk_cases.desk_queue, name="desk-queue"),
    path("desk/search/", desk_search.desk_search, name="desk-search"),
    path("desk/cases/<str:number>/", desk_cases.desk_case, name="desk-case"),
    path(
        "desk/cases/<str:number>/emails/<int:pk>/",
        desk_cases.desk_case_email,
        name="desk-case-email",
    ),
    path(
        "desk/cases/<str:number>/emails/files/<int:pk>/",
        desk_cases.desk_case_email_file,
        name="desk-case-email-file",
    ),
    path("desk/articles/", desk_articles.article_list, name="desk-articles"),
    path("desk/articles/new/", desk_articles.article_edit, name="desk-article-new"),
    path("desk/articles/<int:pk>/", desk_articles.article_edit, name="desk-article"),
    path("field/", field.field_list, name="field"),
    path("field/sw.js", field.service_worker, name="field-sw"),
    path("field/manifest.webmanifest", field.manifest, name="field-manifest"),
    path("field/<str:number>/", field.field_case, name="field-case"),
    path(
        "login/",
        rate_limited(POST="login")(auth.LoginView.as_view(template_name="frontend/login.html")),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("track/", tracking.track_lookup, name="track-lookup"),
    path("track/<str:token>/", tracking.track, name="track"),
]
