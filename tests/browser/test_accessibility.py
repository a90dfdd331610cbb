"""axe-core (from npm, injected into the same Chromium) finds no WCAG 2.1 A
or AA violation on any citizen page, at phone width."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from geocases.tracking.services import tracking_link_issue
from tests.factories import CategoryFactory, case_in_status

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


def test_the_scan_does_find_a_violation(page, site):
    """The scan is not blind: an image without a text alternative is caught."""
    page.goto(site + "/track/")
    page.evaluate("document.body.appendChild(document.createElement('img')).src = '/x.png'")
    assert any(v.startswith("image-alt") for v in violations(page))
