"""/open311/v2/requests.{json,xml} (GET: search, POST: report) and
requests/{service_request_id}.{json,xml}."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from api.open311 import params
from api.open311.formats import open311_endpoint, open311_response, request_api_key
from geocases.cases.models import Case
from geocases.core.idempotency import idempotent_write, request_fingerprint
from geocases.open311.records import OPEN311_STATUSES, created_record
from geocases.open311.selectors import (
    service_request_record,
    service_request_records,
    service_request_search,
)
from geocases.open311.services import service_request_create

ROOT, ITEM = "service_requests", "request"


@csrf_exempt  # other systems post without a session; the api_key authenticates them
@open311_endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    query = request.GET
    numbers = params.comma_list(query, "service_request_id")
    if numbers:  # "This overrides all other arguments."
        cases = service_request_search(numbers=numbers)
    else:
        cases = service_request_search(
            service_codes=params.comma_list(query, "service_code"),
            statuses=params.choices(query, "status", OPEN311_STATUSES),
            start=params.w3_datetime(query, "start_date"),
            end=params.w3_datetime(query, "end_date"),
            updated_after=params.w3_datetime(query, "updated_after"),
            updated_before=params.w3_datetime(query, "updated_before"),
            near=params.lat_long(query),
            radius=params.number(query, "radius", default=1000),
        )
    records = service_request_records(
        cases=cases,
        extensions=params.boolean(query, "extensions"),
        absolute_url=request.build_absolute_uri,
    )
    return open311_response(records, fmt=fmt, root=ROOT, item=ITEM)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST
    api_key = request_api_key(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if key:  # a retry of a request that made its case gets that case back
        result, replayed = idempotent_write(
            scope=f"open311:{api_key.pk}",
            key=key,
            fingerprint=request_fingerprint(
                {name: form.getlist(name) for name in form if name != "api_key"}
            ),
            write=lambda: {"case": _submit(request, form, api_key).pk},
        )
        case = Case.objects.select_related("responsible_unit").get(pk=result["case"])
    else:
        case, replayed = _submit(request, form, api_key), False
    response = open311_response([created_record(case)], fmt=fmt, root=ROOT, item=ITEM)
    if replayed:
        response["Idempotent-Replayed"] = "true"  # as the case API says it
    return response


def _submit(request: HttpRequest, form, api_key) -> Case:
    return service_request_create(
        api_key=api_key,
        service_code=params.text(form, "service_code"),
        lat=params.text(form, "lat"),
        long=params.text(form, "long"),
        address_string=params.text(form, "address_string"),
        address_id=params.text(form, "address_id"),
        attributes=params.attributes(form),
        email=params.text(form, "email"),
        first_name=params.text(form, "first_name"),
        last_name=params.text(form, "last_name"),
        phone=params.text(form, "phone"),
        description=form.get("description", ""),
        media_url=params.text(form, "media_url"),
        language=translation.get_language()[:2],
    ).case


@open311_endpoint("GET")
def service_request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    record = service_request_record(
        number=number,
        extensions=params.boolean(request.GET, "extensions"),
        absolute_url=request.build_absolute_uri,
    )
    return open311_response([record], fmt=fmt, root=ROOT, item=ITEM)
