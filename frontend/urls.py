from django.urls import path

from frontend.pages import home, tracking

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
    path("track/", tracking.track_lookup, name="track-lookup"),
    path("track/<str:token>/", tracking.track, name="track"),
]
