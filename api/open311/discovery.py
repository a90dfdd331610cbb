"""GET /open311/v2/discovery.{json,xml}: where the GeoReport v2 endpoint is and
what it speaks."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from api.open311.formats import open311_endpoint, open311_response
from geocases.open311.records import discovery_record


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    own_url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    endpoint = own_url.rsplit("/", 1)[0]
    return open311_response(discovery_record(url=endpoint), fmt=fmt, root="discovery")
