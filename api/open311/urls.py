"""Open311 GeoReport v2 under /open311/v2/: each resource ends in .json or .xml."""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from api.open311.discovery import discovery
from api.open311.formats import resource_unknown
from api.open311.requests import service_request_detail, service_requests
from api.open311.services import service_detail, service_list
from api.open311.tokens import token_detail
from api.open311.updates import service_request_update_list

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, discovery, name="discovery"),
    re_path(r"^services" + FORMAT, service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FORMAT, service_detail, name="service"),
    re_path(r"^requests" + FORMAT, service_requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/]+?)" + FORMAT, service_request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, token_detail, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, service_request_update_list, name="updates"),
    re_path(r"^.*" + FORMAT, csrf_exempt(resource_unknown)),
]
