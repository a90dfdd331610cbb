"""axe-core (from npm, injected into the same Chromium) finds no WCAG 2.1 A
or AA violation on any citizen page, at phone width, nor in the states of
the planners' dashboard."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from geocases.tracking.services import tracking_link_issue
from tests.factories import CategoryFactory, DistrictFactory, UserFactory, case_in_status

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is not installed (make test runs npm ci).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    assert len(result["passes"]) > 10, "axe checked next to nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
    ]


@pytest.fixture
def cases():
    category = CategoryFactory(code="snow", name_sv="Snö och is", place_kind="any")
    case = case_in_status("resolved", category=category, location=Point(18.06, 59.33, srid=4326))
    return category, case


@pytest.mark.parametrize("width", [320, 1280])
def test_the_citizen_pages_have_no_wcag_violations(page, site, cases, width):
    _category, case = cases
    page.set_viewport_size({"width": width, "height": 800})
    token = tracking_link_issue(case=case)
    pages = {
        "report": "/",
        "tracking": f"/track/{token}/?new=1",
        "look-up": "/track/",
        "map": "/map/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        found[name] = violations(page)
    # The report form with its messages, and the tracking look-up's.
    page.goto(site + "/")
    page.get_by_role("button", name=re.compile("Skicka anmälan")).click()
    found["report with errors"] = violations(page)
    assert not any(found.values()), found


@pytest.mark.parametrize("width", [320, 1280])
def test_the_dashboards_states_have_no_wcag_violations(page, site, cases, width):
    from django.contrib.gis.geos import MultiPolygon, Polygon
    from django.test import Client

    box = MultiPolygon(Polygon.from_bbox((18.0, 59.3, 18.1, 59.4)), srid=4326)
    DistrictFactory(code="norrmalm", name="Norrmalm", geometry=box, land_geometry=box)
    client = Client()
    client.force_login(UserFactory(role="planner"))
    cookie = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": site}])
    page.set_viewport_size({"width": width, "height": 800})
    states = {
        "default, tables open": "/insights/",
        "districts chosen": "/insights/?district=norrmalm&group_by=district",
        "street level": "/insights/?map=18/59.33/18.06",
        "no cases": "/insights/?first_month=2030-01&last_month=2030-02",
        "a bad month": "/insights/?first_month=2026-13",
    }
    found = {}
    for name, path in states.items():
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        if name == "street level":
            page.locator("#insights-map path.leaflet-interactive").first.wait_for()
        found[name] = violations(page)
    assert not any(found.values()), found


def test_the_scan_does_find_a_violation(page, site):
    """The scan is not blind: an image without a text alternative is caught."""
    page.goto(site + "/track/")
    page.evaluate("document.body.appendChild(document.createElement('img')).src = '/x.png'")
    assert any(v.startswith("image-alt") for v in violations(page))
