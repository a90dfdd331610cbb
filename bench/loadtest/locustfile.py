"""The snowy-morning mix that ``make load`` and ``make drills`` run with
locust (headless) against the production set-up:

- citizens on the report page: load the form, report with a photo now and
  then, say "mine is another problem" when the page shows reports nearby;
- citizens' apps on the API and other systems on Open311, with an
  Idempotency-Key, retrying once with the same key when an answer is lost;
- agents registering phone cases on the API with their token;
- contractors taking up their unit's cases and telling the citizen;
- the public map, panned and zoomed;
- planners on the statistics page.

Every report carries a marker (``[load-…]`` in its description); what each
request answered is written to the journal (``LOAD_JOURNAL``) at the end, so
the runner can check the database against it: every accepted report once,
with its history and its e-mail in the outbox.

Settings come as JSON in ``LOAD_CONFIG`` (written by ``bench/loadtest/run.py``).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import time
import uuid
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

from locust import FastHttpUser, constant_throughput, events, task
from PIL import Image
from urllib3 import encode_multipart_formdata

CONFIG = json.loads(os.environ.get("LOAD_CONFIG", "{}"))
PACE = float(CONFIG.get("pace", 1.0))  # multiplies every user's rate
# At pace 1, 100 users (30 citizens on the form, 25 apps, 20 agents, …) offer
# about 106 new cases and 100 other requests a second: enough to show the
# target of 100 creations a second sustained on a machine that can serve it.
JOURNAL: list[dict] = []
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(rb'name="submission" value="([^"]+)"')  # the form's own key
# Inside the demo city's service areas: the inner city and its nearest districts.
WEST, SOUTH, EAST, NORTH = 17.94, 59.29, 18.13, 59.37
REPORTED = [  # category, extra fields (the required ones with a value)
    ("snow-ice", {"surface": "footpath"}),
    ("snow-ice", {"surface": "road"}),
    ("snow-ice", {"surface": "bus-stop"}),
    ("waste-bins", {"bin-type": "litter-bin"}),
    ("pothole", {}),
    ("street-lighting", {}),
]


class LocalhostIsSecure(DefaultCookiePolicy):
    """Production's cookies are Secure; browsers still send them to
    http://localhost and 127.0.0.1 (a secure context), and so does the load's
    client — the load runs over plain HTTP on this machine."""

    def return_ok_secure(self, cookie, request) -> bool:
        local = urlsplit(request.get_full_url()).hostname in ("127.0.0.1", "localhost")
        return local or super().return_ok_secure(cookie, request)


class User(FastHttpUser):
    abstract = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client.cookiejar.set_policy(LocalhostIsSecure())


def _photo(seed: int) -> bytes:
    """A phone photo as an app sends it (1280 x 960 JPEG), with some texture
    so that it compresses like a real one."""
    rng = random.Random(seed)
    image = Image.effect_noise((320, 240), 40).convert("RGB").resize((1280, 960))
    overlay = Image.new("RGB", image.size, tuple(rng.randrange(256) for _ in range(3)))
    image = Image.blend(image, overlay, 0.4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


PHOTOS = [_photo(seed) for seed in range(4)]


def _marker() -> str:
    return f"load-{uuid.uuid4().hex}"


def _place() -> tuple[float, float]:
    return round(random.uniform(WEST, EAST), 6), round(random.uniform(SOUTH, NORTH), 6)


def _record(kind: str, marker: str, status: int, *, attempts: int = 1, number: str = "") -> None:
    JOURNAL.append(
        {
            "kind": kind,
            "marker": marker,
            "status": status,
            "attempts": attempts,
            "number": number,
            "at": time.time(),
        }
    )


REQUESTS: list[tuple[float, str, int, float]] = []  # start, name, status (0: no answer), ms


@events.request.add_listener
def _time_request(name, response_time, response, exception, start_time, **_kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    REQUESTS.append((round(start_time, 3), name, status, round(response_time, 1)))


@events.quitting.add_listener
def _write_journal(environment, **_kwargs) -> None:
    path = os.environ.get("LOAD_JOURNAL")
    if path:
        with open(path, "w") as out:
            json.dump({"reports": JOURNAL, "requests": REQUESTS}, out)


class Citizen(User):
    """The report page, as a phone's browser uses it."""

    weight = 30
    wait_time = constant_throughput(1.0 * PACE)

    @task
    def report(self) -> None:
        page = self.client.get("/", name="report page")
        found = CSRF.search(page.content or b"")
        if page.status_code != 200 or not found:
            return
        category, extra = random.choice(REPORTED)
        lon, lat = _place()
        marker = _marker()
        key = SUBMISSION.search(page.content or b"")
        fields = [
            ("csrfmiddlewaretoken", found.group(1).decode()),
            ("submission", key.group(1).decode() if key else ""),
            ("category", category),
            ("lat", str(lat)),
            ("lon", str(lon)),
            ("description", f"[{marker}] Det är inte åtgärdat här."),
            ("email", f"{marker}@example.org"),
        ]
        fields += [(f"extra-{category}-{code}", value) for code, value in extra.items()]
        if random.random() < 0.3:
            fields.append(("photos", ("photo.jpg", random.choice(PHOTOS), "image/jpeg")))
        status = self._post(fields, name="report (web form)")
        if status == "nearby":  # "none of these is mine": sent again, as the page asks
            status = self._post([*fields, ("duplicates_seen", "on")], name="report (web form)")
        # The page redirects to the case's tracking page when it registered
        # it; anything else (the form again, nearby reports again) was not.
        outcome = {"created": 201, "nearby": 409}.get(status, status)
        _record("web-form", marker, outcome)

    def _post(self, fields: list, *, name: str):
        body, content_type = encode_multipart_formdata(fields)
        with self.client.post(
            "/",
            data=body,
            headers={"Content-Type": content_type, "Referer": self.host + "/"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = (response.headers or {}).get("Location", "")
            if response.status_code == 302 and "/track/" in location:
                response.success()
                created = True  # sent on to the case's tracking page
            elif response.status_code == 200 and b'name="duplicates_seen" value="on"' in (
                response.content or b""
            ):
                response.success()
                return "nearby"
            else:
                response.failure(f"not registered: {response.status_code}")
                # The form shown again with its errors is a refusal, not a 200.
                return 422 if response.status_code == 200 else response.status_code or 599
        if created:
            self.client.get(location, name="tracking page")
        return "created"


class ApiReporter(User):
    """Citizens' apps on the API, and other systems on Open311, both with an
    Idempotency-Key: a request whose answer is lost is sent again with it."""

    weight = 25
    wait_time = constant_throughput(2.0 * PACE)

    @task(3)
    def api_case(self) -> None:
        category, extra = random.choice(REPORTED)
        lon, lat = _place()
        marker = _marker()
        payload = {
            "category": category,
            "description": f"[{marker}] Rapporterat i appen.",
            "place": {"type": "Point", "coordinates": [lon, lat]},
            "extra": extra,
            "reporter": {"email": f"{marker}@example.org"},
        }
        status, attempts, number = _idempotent_post(
            self.client,
            "/api/v1/cases/",
            name="report (API)",
            json=payload,
            number=lambda body: body["id"],
        )
        _record("api", marker, status, attempts=attempts, number=number)

    @task(1)
    def open311_request(self) -> None:
        category, extra = random.choice(REPORTED)
        lon, lat = _place()
        marker = _marker()
        form = {
            "api_key": CONFIG["open311_key"],
            "service_code": category,
            "lat": str(lat),
            "long": str(lon),
            "description": f"[{marker}] Via kommunens app.",
            "email": f"{marker}@example.org",
        }
        form.update({f"attribute[{code}]": value for code, value in extra.items()})
        status, attempts, number = _idempotent_post(
            self.client,
            "/open311/v2/requests.json",
            name="report (Open311)",
            data=form,
            number=lambda body: body[0].get("service_request_id") or "",
        )
        _record("open311", marker, status, attempts=attempts, number=number)


def _idempotent_post(client, url: str, *, name: str, number, **kwargs) -> tuple[int, int, str]:
    headers = {"Idempotency-Key": str(uuid.uuid4()), **kwargs.pop("headers", {})}
    status = 0
    for attempt in (1, 2):
        with client.post(
            url, headers=headers, name=name, catch_response=True, **kwargs
        ) as response:
            status = response.status_code or 599
            if 200 <= status < 300:
                response.success()
                try:
                    found = number(response.json())
                except (ValueError, LookupError, TypeError):
                    found = ""
                return status, attempt, found
            response.failure(f"{status}")
            if status < 500 and status != 429:
                return status, attempt, ""  # refused: sending it again would not help
    return status, 2, ""


class Agent(User):
    """Customer service registering what callers tell them."""

    weight = 20
    wait_time = constant_throughput(1.3 * PACE)

    def on_start(self) -> None:
        self.token = random.choice(CONFIG["tokens"]["agents"])

    @task
    def register_call(self) -> None:
        category, extra = random.choice(REPORTED)
        lon, lat = _place()
        marker = _marker()
        status, attempts, number = _idempotent_post(
            self.client,
            "/api/v1/cases/",
            name="register (agent, API)",
            json={
                "category": category,
                "description": f"[{marker}] Ringde in.",
                "lat": lat,
                "lon": lon,
                "extra": extra,
                "reporter": {"phone": "08-123 45 67", "email": f"{marker}@example.org"},
            },
            headers={"Authorization": f"Token {self.token}"},
            number=lambda body: body["id"],
        )
        _record("agent", marker, status, attempts=attempts, number=number)


class Contractor(User):
    """A contractor's phone: its unit's new cases, one taken up and the
    citizen told what happens next."""

    weight = 8
    wait_time = constant_throughput(0.5 * PACE)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Token {random.choice(CONFIG['tokens']['contractors'])}"}

    @task
    def take_up(self) -> None:
        listing = self.client.get(
            "/api/v1/cases/?status=assigned&page_size=20",
            headers=self.headers,
            name="contractor: cases",
        )
        if listing.status_code != 200:
            return
        features = (listing.json() or {}).get("features") or []
        if not features:
            return
        number = random.choice(features)["id"]
        marker = _marker()
        with self.client.post(
            f"/api/v1/cases/{number}/transition/",
            json={"to": "acknowledged"},
            headers=self.headers,
            name="contractor: acknowledge",
            catch_response=True,
        ) as response:
            if response.status_code == 400:  # another contractor took it first
                response.success()
                return
            status = response.status_code
        _record("acknowledge", "", status, number=number)
        if status != 200:
            return
        note = self.client.post(
            f"/api/v1/cases/{number}/notes/",
            json={"text": f"[{marker}] Vi kommer i dag.", "public": True},
            headers=self.headers,
            name="contractor: update to the citizen",
        )
        _record("update", marker, note.status_code, number=number)


class MapVisitor(User):
    """The public map, from the whole city down to a street."""

    weight = 14
    wait_time = constant_throughput(2.0 * PACE)

    @task
    def pan(self) -> None:
        zoom = random.choice([11, 12, 13, 14, 15, 16, 17])
        span = 0.6 / 2 ** (zoom - 11)
        lon = random.uniform(WEST, EAST)
        lat = random.uniform(SOUTH, NORTH)
        bbox = f"{lon - span:.5f},{lat - span / 2:.5f},{lon + span:.5f},{lat + span / 2:.5f}"
        period = random.choice(["", "&created_after=" + CONFIG["month_ago"]])
        self.client.get(
            f"/api/v1/cases/map/?bbox={bbox}&zoom={zoom}{period}", name="public map (API)"
        )


class Planner(User):
    """Planners on the statistics page, now and then."""

    weight = 3
    wait_time = constant_throughput(0.2 * PACE)

    def on_start(self) -> None:
        page = self.client.get("/login/", name="log-in page")
        found = CSRF.search(page.content or b"")
        self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": found.group(1).decode() if found else "",
                "username": "planner",
                "password": CONFIG["password"],
            },
            headers={"Referer": self.host + "/login/"},
            name="log-in",
        )

    @task
    def statistics(self) -> None:
        query = random.choice(["", "?group_by=category", "?group_by=unit", "?group_by=channel"])
        self.client.get(f"/insights/{query}", name="planner statistics")
