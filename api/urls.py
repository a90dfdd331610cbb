from django.urls import path

from api.districts import DistrictListView

app_name = "api"

urlpatterns = [
    path("v1/districts/", DistrictListView.as_view(), name="district-list"),
]
