"""Response targets in the administration are entered and shown as business
hours, with what a business hour is here, not as Django durations
("10 00:00:00" read as ten days, but counted as 240 office hours)."""

import datetime as dt

import pytest

from geocases.categories.models import Category
from tests.admin.test_area_geometry_admin import form_data
from tests.admin.test_category_admin import category_form, post
from tests.factories import CategoryFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db


def test_a_categorys_targets_are_shown_in_business_hours_with_the_unit_explained(admin_client_en):
    category = CategoryFactory(
        acknowledge_within=dt.timedelta(hours=8),
        feedback_within=dt.timedelta(days=1),
        resolve_within=dt.timedelta(days=10),
    )

    response = admin_client_en.get(f"/admin/categories/category/{category.pk}/change/")

    form = response.context["adminform"].form
    assert [form[name].value() for name in ("acknowledge_within", "resolve_within")] == ["8", "240"]
    assert form["feedback_within"].label == "Give the citizen feedback within (business hours)"
    page = response.content.decode()
    assert 'name="resolve_within" value="240"' in page
    assert "10 00:00:00" not in page
    assert "from 08:00 to 17:00 on working days" in page
    assert "a working day is 9 hours and a working week 45" in page


def test_targets_entered_in_hours_are_kept_as_business_time(admin_client_en):
    data = category_form(choices=[{"key": "a", "name_sv": "A", "name_en": "A"}])
    data.update(acknowledge_within="7.5", feedback_within="", resolve_within="45")

    response = post(admin_client_en, data)

    assert response.status_code == 302
    category = Category.objects.get()
    assert category.acknowledge_within == dt.timedelta(hours=7, minutes=30)
    assert category.feedback_within is None
    assert category.resolve_within == dt.timedelta(hours=45)


@pytest.mark.parametrize("entered", ["10 00:00:00", "0", "-8", "ten"])
def test_a_target_that_is_not_a_number_of_hours_is_refused(admin_client_en, entered):
    data = category_form(choices=[{"key": "a", "name_sv": "A", "name_en": "A"}])
    data["resolve_within"] = entered

    response = post(admin_client_en, data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["resolve_within"]
    assert not Category.objects.exists()


def test_a_contracts_own_targets_are_business_hours_too(admin_client_en):
    area = ServiceAreaFactory(code="park", categories=[CategoryFactory()])
    url = f"/admin/areas/servicearea/{area.pk}/change/"
    page = admin_client_en.get(url)
    assert "Empty: the category's target." in page.content.decode()

    response = admin_client_en.post(url, {**form_data(page), "resolve_within": "16"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    area.refresh_from_db()
    assert area.resolve_within == dt.timedelta(hours=16)
