"""GET /healthz: is the site, its database with PostGIS, and its broker up?"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from geocases.core.selectors import health_check


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_check()
    return JsonResponse(report.as_dict(), status=200 if report.healthy else 503)
