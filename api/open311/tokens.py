"""GET /open311/v2/tokens/{token}.{json,xml}: the service request a token
stands for.

Our services are "realtime": a POST answers with the case number itself, so
clients following the spec never need this. It answers for every token we
keep (one per posted request), in the spec's shape, for clients written for
"batch" servers.
"""

from django.http import HttpRequest, HttpResponse

from api.open311.formats import open311_endpoint, open311_response
from geocases.open311.selectors import submission_by_token


@open311_endpoint("GET", limits={"GET": "track", "HEAD": "track"})
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    submission = submission_by_token(token=token)
    found = {"service_request_id": submission.case.number, "token": submission.token}
    return open311_response([found], fmt=fmt, root="service_requests", item="request")
