import datetime as dt
import io

import pytest
from PIL import Image

from geocases.cases.models import Case
from geocases.cases.services import case_attachment_add, case_note_add
from geocases.tracking.services import case_follow, tracking_link_issue
from tests.factories import CategoryFactory, UserFactory, case_with_personal_data, staff_actor

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG")
    out.seek(0)
    return out


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def make_case(media):
    """A case with personal data everywhere: reporter, free text, a note, a
    photo, a tracking link; put into ``status``, closed ``closed_days_ago``."""
    agent = staff_actor("agent")

    def make(
        category,
        *,
        status="closed",
        closed_days_ago=None,
        email="per@example.org",
        phone="070-123 45 67",
        hold="",
    ):
        case = case_with_personal_data(
            category,
            title="Per Perssons soptunna",
            description="Ring mig på 070-123 45 67, Per",
            reporter_email=email,
            reporter_phone=phone,
        )
        case_note_add(case=case, actor=agent, text="Per ringde igen", public=False)
        case_attachment_add(case=case, actor=agent, upload=photo(), filename="per.jpg")
        tracking_link_issue(case=case)
        case_follow(case=case, email="grannen@example.org")  # someone following it
        fields = {"status": status, "retention_hold": hold, "extra": {"note": "Per"}}
        if closed_days_ago is not None:
            fields.update(
                closed_at=NOW - dt.timedelta(days=closed_days_ago), resolution="Klart, Per"
            )
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def home_bins():
    return CategoryFactory(
        code="bins", retention_days=30, concerns_home=True, is_public=True, place_kind="any"
    )


@pytest.fixture
def invoices():
    return CategoryFactory(code="invoices", retention_days=365, place_kind="any")


@pytest.fixture
def administrator():
    return UserFactory(role="administrator", is_superuser=True, is_staff=True)
