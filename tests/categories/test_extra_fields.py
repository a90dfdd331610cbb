import pytest

from geocases.categories.models import CategoryField, FieldType
from geocases.categories.validation import extra_fields_clean
from geocases.core.errors import ApplicationError
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

CHOICES = [
    {"key": "a", "name_sv": "A", "name_en": "A"},
    {"key": "b", "name_sv": "B", "name_en": "B"},
]


@pytest.fixture
def category():
    category = CategoryFactory()
    for order, (code, datatype) in enumerate(
        [
            ("name", FieldType.STRING),
            ("count", FieldType.NUMBER),
            ("when", FieldType.DATETIME),
            ("story", FieldType.TEXT),
            ("one", FieldType.SINGLE_CHOICE),
            ("many", FieldType.MULTIPLE_CHOICE),
        ]
    ):
        CategoryField.objects.create(
            category=category,
            code=code,
            label_sv=code,
            label_en=code,
            datatype=datatype,
            order=order,
            choices=CHOICES,
        )
    return category


def test_each_type_is_cleaned(category):
    cleaned = extra_fields_clean(
        category=category,
        values={
            "name": " Kalle ",
            "count": "3,5",
            "when": "2026-01-31T14:30",
            "story": "Lång text",
            "one": "a",
            "many": ["b", "a", "b"],
        },
    )
    assert cleaned == {
        "name": "Kalle",
        "count": 3.5,
        "when": "2026-01-31T14:30:00",
        "story": "Lång text",
        "one": "a",
        "many": ["a", "b"],
    }


def test_whole_numbers_stay_whole(category):
    assert extra_fields_clean(category=category, values={"count": "4"})["count"] == 4


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": 12}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"count": True}, "count"),
        ({"count": "nan"}, "count"),
        ({"count": [1]}, "count"),
        ({"when": "yesterday"}, "when"),
        ({"one": "c"}, "one"),
        ({"one": ["a"]}, "one"),
        ({"many": ["a", "z"]}, "many"),
        ({"many": [1]}, "many"),
    ],
)
def test_wrong_types_name_the_field(category, values, field):
    with pytest.raises(ApplicationError) as raised:
        extra_fields_clean(category=category, values=values)
    assert list(raised.value.fields) == [f"extra.{field}"]


def test_all_bad_fields_are_reported_at_once(category):
    CategoryField.objects.filter(category=category, code="name").update(required=True)
    with pytest.raises(ApplicationError) as raised:
        extra_fields_clean(category=category, values={"count": "many", "other": 1})
    assert set(raised.value.fields) == {"extra.name", "extra.count", "extra.other"}


@pytest.mark.parametrize("values", ["surface=road", ["road"], 3])
def test_extra_fields_must_be_an_object(category, values):
    with pytest.raises(ApplicationError, match="must be an object"):
        extra_fields_clean(category=category, values=values)
