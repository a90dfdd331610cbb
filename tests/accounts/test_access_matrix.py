"""The permission matrix, role by role, over every API endpoint and page:
each is asked by a citizen (not logged in) and by each staff role, and is
answered or refused as ``geocases.accounts.access.MATRIX`` says. A URL added
without a row here fails ``test_every_endpoint_and_page_is_in_the_matrix``."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from geocases.accounts.access import CITIZEN, MATRIX, ROLES, Action
from geocases.knowledge.services import article_save
from tests.factories import CategoryFactory, ContractorFactory, UserFactory, case_with_personal_data

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Call:
    name: str  # the URL's name, as reverse() knows it
    method: str
    path: str  # with {case}, {article}, {token} filled in by the test
    action: Action
    data: dict | None = None

    @property
    def is_page(self) -> bool:
        return not self.path.startswith(("/api/", "/healthz"))


CALLS = [
    # API
    Call("api:schema", "GET", "/api/schema/", Action.PUBLIC_READ),
    Call("api:docs", "GET", "/api/docs/", Action.PUBLIC_READ),
    Call("api:district-list", "GET", "/api/v1/districts/", Action.PUBLIC_READ),
    Call("api:category-list", "GET", "/api/v1/categories/", Action.PUBLIC_READ),
    Call("api:category-detail", "GET", "/api/v1/categories/public-thing/", Action.PUBLIC_READ),
    Call("api:service-area-list", "GET", "/api/v1/service-areas/", Action.PUBLIC_READ),
    Call("api:unit-list", "GET", "/api/v1/units/", Action.PUBLIC_READ),
    Call("api:staff-search", "GET", "/api/v1/staff/?q=a", Action.STAFF_DIRECTORY),
    Call(
        "api:routing-preview",
        "GET",
        "/api/v1/routing/preview/?category=public-thing&lat=59.33&lon=18.06",
        Action.PUBLIC_READ,
    ),
    Call("api:place-search", "GET", "/api/v1/places/?q=Dro", Action.PUBLIC_READ),
    Call("api:case-list", "GET", "/api/v1/cases/", Action.PUBLIC_READ),
    Call(
        "api:case-list",
        "POST",
        "/api/v1/cases/",
        Action.REPORT,
        {"category": "public-thing", "lat": 59.33, "lon": 18.06},
    ),
    Call(
        "api:case-map",
        "GET",
        "/api/v1/cases/map/?bbox=17.9,59.2,18.2,59.4&zoom=12",
        Action.PUBLIC_READ,
    ),
    Call("api:case-detail", "GET", "/api/v1/cases/{case}/", Action.PUBLIC_READ),
    Call("api:case-detail", "PATCH", "/api/v1/cases/{case}/", Action.CASE_WORK, {"title": "T"}),
    Call(
        "api:case-transition",
        "POST",
        "/api/v1/cases/{case}/transition/",
        Action.CASE_WORK,
        {"to": "acknowledged"},
    ),
    Call("api:case-notes", "POST", "/api/v1/cases/{case}/notes/", Action.CASE_WORK, {"text": "x"}),
    Call("api:case-attachments", "POST", "/api/v1/cases/{case}/attachments/", Action.CASE_WORK, {}),
    Call("api:case-history", "GET", "/api/v1/cases/{case}/history/", Action.CASE_PERSONAL),
    Call(
        "api:case-checklist",
        "POST",
        "/api/v1/cases/{case}/checklist/",
        Action.CASE_WORK,
        {"item": 0, "ticked": True},
    ),
    Call("api:article-list", "GET", "/api/v1/articles/", Action.KNOWLEDGE_READ),
    Call(
        "api:article-list",
        "POST",
        "/api/v1/articles/",
        Action.KNOWLEDGE_WRITE,
        {"title": "Ny", "kind": "script", "is_published": True},
    ),
    Call("api:article-detail", "GET", "/api/v1/articles/{article}/", Action.KNOWLEDGE_READ),
    Call(
        "api:article-detail",
        "PUT",
        "/api/v1/articles/{article}/",
        Action.KNOWLEDGE_WRITE,
        {"title": "Ändrad", "kind": "script", "is_published": True},
    ),
    Call(
        "api:insights-clusters",
        "GET",
        "/api/v1/insights/clusters/?bbox=17.9,59.2,18.2,59.4&zoom=12",
        Action.INSIGHTS,
    ),
    Call(
        "api:insights-heatmap",
        "GET",
        "/api/v1/insights/heatmap/?bbox=17.9,59.2,18.2,59.4&zoom=12",
        Action.INSIGHTS,
    ),
    Call(
        "api:insights-cases",
        "GET",
        "/api/v1/insights/cases/?bbox=18.06,59.33,18.07,59.335&zoom=18",
        Action.INSIGHTS,
    ),
    # Pages
    Call("frontend:report", "GET", "/", Action.REPORT),
    Call("frontend:follow", "POST", "/follow/{case}/", Action.TRACK),
    Call("frontend:map", "GET", "/map/", Action.PUBLIC_READ),
    Call("frontend:track-lookup", "GET", "/track/", Action.TRACK),
    Call("frontend:track", "GET", "/track/{token}/", Action.TRACK),
    Call("frontend:login", "GET", "/login/", Action.PUBLIC_READ),
    Call("frontend:logout", "POST", "/logout/", Action.PUBLIC_READ),
    Call("frontend:staff-home", "GET", "/staff/", Action.CASE_LIST),  # any member of staff
    Call("frontend:followup", "GET", "/staff/followup/", Action.FOLLOWUP),
    Call("frontend:insights", "GET", "/insights/", Action.INSIGHTS),
    Call("frontend:insights-export", "GET", "/insights/export.csv", Action.EXPORT),
    Call("frontend:desk", "GET", "/desk/", Action.DESK),
    Call("frontend:desk-queue", "GET", "/desk/queues/mine/", Action.DESK),
    Call("frontend:desk-search", "GET", "/desk/search/?q=1", Action.DESK),
    Call("frontend:desk-case", "GET", "/desk/cases/{case}/", Action.DESK),
    Call("frontend:desk-case-email", "GET", "/desk/cases/{case}/emails/1/", Action.DESK),
    Call("frontend:desk-case-email-file", "GET", "/desk/cases/{case}/emails/files/1/", Action.DESK),
    Call("frontend:desk-articles", "GET", "/desk/articles/", Action.DESK),
    Call("frontend:desk-article-new", "GET", "/desk/articles/new/", Action.KNOWLEDGE_WRITE),
    Call("frontend:desk-article", "GET", "/desk/articles/{article}/", Action.KNOWLEDGE_WRITE),
    Call("frontend:field", "GET", "/field/", Action.FIELD),
    Call("frontend:field-sw", "GET", "/field/sw.js", Action.PUBLIC_READ),
    Call("frontend:field-manifest", "GET", "/field/manifest.webmanifest", Action.PUBLIC_READ),
    Call("frontend:field-case", "GET", "/field/{case}/", Action.FIELD),
    Call("admin:index", "GET", "/admin/", Action.ADMINISTER),
    Call("admin:audit_auditentry_changelist", "GET", "/admin/audit/auditentry/", Action.AUDIT_READ),
    Call("healthz", "GET", "/healthz", Action.PUBLIC_READ),
]


@pytest.fixture
def world():
    """Two contractors, a user for every role, and a case of contractor A's
    (public, concerning a home) that every staff role but B's may reach."""
    a, b = ContractorFactory(code="contractor-a"), ContractorFactory(code="contractor-b")
    users = {
        role: UserFactory(username=role, role=role, unit=a if role == "contractor" else None)
        for role in ROLES
        if role != CITIZEN
    }
    users["administrator"].is_superuser = users["administrator"].is_staff = True
    users["administrator"].save()
    category = CategoryFactory(
        code="public-thing", default_unit=a, is_public=True, concerns_home=True, place_kind="any"
    )
    case = case_with_personal_data(
        category,
        location=Point(18.06123, 59.33456, srid=4326),
        address="Drottninggatan 1",
        description="My neighbour Anna Andersson",
    )
    article = article_save(user=users["agent"], title="Skript", body="Säg hej.", kind="script")
    return {"users": users, "case": case, "article": article, "a": a, "b": b}


def client_for(role: str, users: dict, page: bool):
    if role == CITIZEN:
        return Client() if page else APIClient()
    if page:
        client = Client()
        client.force_login(users[role])
        return client
    client = APIClient()
    client.force_authenticate(users[role])
    return client


def ask(client, call: Call, world) -> int:
    path = call.path.format(case=world["case"].number, article=world["article"].pk, token="x" * 43)
    send = getattr(client, call.method.lower())
    if call.data is not None and not call.is_page:
        response = send(path, call.data, format="multipart" if "attachments" in path else "json")
    else:
        response = send(path, call.data or {})
    return response


def refused(call: Call, response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/login/" in response.headers.get("Location", "")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.name}")
def test_each_role_is_answered_or_refused_as_the_matrix_says(world, role, call):
    allowed = role in MATRIX[call.action]
    response = ask(client_for(role, world["users"], call.is_page), call, world)
    assert refused(call, response) != allowed, (role, call, response.status_code)
    assert response.status_code < 500


def url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_endpoint_and_page_is_in_the_matrix():
    """Open311 has its own tests (public, an API key to post); the
    administration is checked at its door (admin:index) and the audit log."""
    names = {
        name
        for name in url_names(get_resolver().url_patterns)
        if not name.startswith(("admin:", "open311:", "set_language"))
    }
    assert names <= {call.name for call in CALLS}, names - {call.name for call in CALLS}


def test_the_readme_shows_this_matrix():
    from pathlib import Path

    from geocases.accounts.access import matrix_rows

    lines = (Path(__file__).resolve().parents[2] / "README.md").read_text().splitlines()
    for action, cells in matrix_rows():
        (line,) = [line for line in lines if line.startswith(f"| `{action}` |")]
        assert line.endswith("| " + " | ".join(cells) + " |"), line
