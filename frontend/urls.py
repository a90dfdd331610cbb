from django.urls import path

from frontend.pages import report, tracking

app_name = "frontend"

urlpatterns = [
    path("", report.report, name="report"),
    path("follow/<str:number>/", report.follow, name="follow"),
    path("track/", tracking.track_lookup, name="track-lookup"),
    path("track/<str:token>/", tracking.track, name="track"),
]
