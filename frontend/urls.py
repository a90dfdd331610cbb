from django.urls import path

from frontend.pages import public_map, report, tracking

app_name = "frontend"

urlpatterns = [
    path("", report.report, name="report"),
    path("follow/<str:number>/", report.follow, name="follow"),
    path("map/", public_map.public_map, name="map"),
    path("track/", tracking.track_lookup, name="track-lookup"),
    path("track/<str:token>/", tracking.track, name="track"),
]
