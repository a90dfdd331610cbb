"""Categories in the administration: an extra field's choices in the shape
every reader expects, or a field error and nothing saved."""

import json

import pytest

from geocases.categories.models import Category, CategoryField
from tests.factories import CategoryGroupFactory, OrganisationUnitFactory

pytestmark = pytest.mark.django_db

GOOD = [{"key": "broken", "name_sv": "Trasig", "name_en": "Broken"}]


def category_form(*, datatype="singlevaluelist", choices):
    unit = OrganisationUnitFactory()
    return {
        "code": "benches",
        "group": CategoryGroupFactory().pk,
        "name_sv": "Bänkar",
        "name_en": "Benches",
        "place_kind": "point",
        "order": 0,
        "is_active": "on",
        "is_public": "on",
        "template_title_sv": "",
        "template_title_en": "",
        "template_description": "",
        "template_priority": "normal",
        "default_unit": unit.pk,
        "acknowledge_within": "8",  # business hours
        "feedback_within": "24",
        "resolve_within": "240",
        "retention_days": 365,
        "fields-TOTAL_FORMS": 1,
        "fields-INITIAL_FORMS": 0,
        "fields-0-code": "state",
        "fields-0-label_sv": "Skick",
        "fields-0-label_en": "State",
        "fields-0-datatype": datatype,
        "fields-0-order": 0,
        "fields-0-choices": json.dumps(choices),
    }


def post(admin_client, data):
    return admin_client.post("/admin/categories/category/add/", data)


def saved(response) -> bool:
    if response.status_code == 302:
        return True
    adminform = response.context["adminform"].form
    inline = response.context["inline_admin_formsets"][0].formset
    raise AssertionError((adminform.errors, [f.errors for f in inline.forms]))


@pytest.mark.parametrize(
    ("choices", "words"),
    [
        (["broken", "graffiti"], "Val 1: Ange valen som"),
        ({"key": "broken"}, "Ange valen som"),
        ([{"key": "broken", "name_sv": "Trasig"}], "Val 1: Ange valen som"),
        ([{"key": 1, "name_sv": "Ett", "name_en": "One"}], "Val 1: Ange valen som"),
        ([{"key": " ", "name_sv": "Ett", "name_en": "One"}], "Val 1 saknar nyckel."),
        ([*GOOD, *GOOD], "Nyckeln ”broken” finns två gånger"),
        ([], "Ett flervalsfält behöver minst ett val."),
    ],
)
def test_malformed_choices_are_a_field_error_and_nothing_is_saved(admin_client, choices, words):
    response = post(admin_client, category_form(choices=choices))

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    errors = inline.formset.forms[0].errors
    assert list(errors) == ["choices"]
    assert words in errors["choices"][0]
    assert not Category.objects.exists() and not CategoryField.objects.exists()


def test_well_formed_choices_are_saved_and_the_public_pages_answer(admin_client, client):
    response = post(admin_client, category_form(choices=GOOD))

    assert saved(response)
    assert CategoryField.objects.get().choices == GOOD
    assert client.get("/api/v1/categories/benches/").status_code == 200
    assert client.get("/open311/v2/services/benches.json").status_code == 200


def test_a_text_field_needs_no_choices(admin_client):
    response = post(admin_client, category_form(datatype="string", choices=[]))

    assert saved(response)


def test_section_titles_are_in_the_users_language(admin_client):
    from django.utils.functional import Promise

    from geocases.categories.admin import CategoryAdmin

    assert all(isinstance(name, Promise) for name, _ in CategoryAdmin.fieldsets if name)
    page = admin_client.get(
        "/admin/categories/category/add/", HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    assert "Dataskydd</h2>" in page and "Privacy</h2>" not in page
    assert "Mall</h2>" in page and "Ansvar och svarstider</h2>" in page
