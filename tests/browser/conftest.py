"""Browser tests: Playwright driving Debian's Chromium against the real
site (pytest-django's live server, real PostGIS), with no network beyond
localhost. Playwright's own browser download is never used."""

import os
import shutil
import time

import pytest

# Playwright's sync API runs an event loop in this thread; the test bodies
# still use the ORM synchronously between browser steps, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

# Without these, Chromium keeps calling Google's services, which a closed
# network refuses many times a second.
QUIET = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (make test installs it).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": QUIET}


@pytest.fixture
def site(live_server, transactional_db):
    """The live site's address, with the data of the test committed."""
    return live_server.url


@pytest.fixture
def page(page):
    """A page that fails the test on any request leaving localhost or on a
    script error."""
    problems: list[str] = []

    def check(request):
        if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            problems.append(f"request to {request.url}")

    page.on("request", check)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page
    # Leave the site before its database is flushed: requests the page still
    # had running (the map's, as it settles) would hold table locks that the
    # flush's TRUNCATE then deadlocks with. The server's threads get a moment.
    page.goto("about:blank")
    time.sleep(0.3)
    assert not problems, problems


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone-sized Swedish browser, as most citizens report."""
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def city():
    """A district over central Stockholm, its real addresses and streets, and a
    snow category a contractor is responsible for there."""
    from pathlib import Path

    from django.conf import settings
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from geocases.geocoding.services import addresses_load, streets_load
    from tests.factories import (
        CategoryFactory,
        ContractorFactory,
        DistrictFactory,
        ServiceAreaFactory,
    )

    box = MultiPolygon(Polygon.from_bbox((17.9, 59.25, 18.2, 59.4)), srid=4326)
    DistrictFactory(code="norrmalm", name="Norrmalm", geometry=box, land_geometry=box)
    folder = Path(settings.BASE_DIR) / "fixtures" / "stockholm"
    addresses_load(path=folder / "stockholm_central_addresses_osm.csv")
    streets_load(path=folder / "stockholm_central_streets_osm.csv")
    snow = CategoryFactory(code="snow", name_sv="Snö och is", place_kind="any")
    ServiceAreaFactory(
        unit=ContractorFactory(name="Plogbolaget AB"), categories=[snow], geometry=box
    )
    return snow
