"""GET /open311/v2/services.{json,xml} and services/{service_code}.{json,xml}:
the public categories, and the extra fields each asks."""

from django.http import HttpRequest, HttpResponse

from api.open311.formats import open311_endpoint, open311_response
from geocases.open311.selectors import service_definition, service_records


@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return open311_response(service_records(), fmt=fmt, root="services", item="service")


@open311_endpoint("GET")
def service_detail(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    return open311_response(service_definition(code=code), fmt=fmt, root="service_definition")
