from django.urls import path

from frontend.pages import home

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
]
