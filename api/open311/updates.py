"""GET /open311/v2/servicerequestupdates.{json,xml}: public updates of
requests in a time window, as FixMyStreet reads them (its GeoReport
extension)."""

from django.http import HttpRequest, HttpResponse

from api.open311 import params
from api.open311.formats import open311_endpoint, open311_response
from geocases.open311.selectors import service_request_updates


@open311_endpoint("GET")
def service_request_update_list(request: HttpRequest, fmt: str) -> HttpResponse:
    updates = service_request_updates(
        start=params.w3_datetime(request.GET, "start_date"),
        end=params.w3_datetime(request.GET, "end_date"),
    )
    return open311_response(updates, fmt=fmt, root="service_request_updates", item="request_update")
