import pytest
from django.contrib.gis.geos import Point
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from geocases.accounts.models import Role, User
from geocases.areas.models import District, ServiceArea
from geocases.categories.models import Category, PlaceKind
from geocases.demo.services import demo_city_load, district_display_name
from geocases.organisations.models import OrganisationUnit

pytestmark = pytest.mark.django_db

# Real places in the demo city.
SODERMALM = Point(18.0710, 59.3150, srid=4326)  # south of the water
OSTERMALM = Point(18.0850, 59.3400, srid=4326)  # north, east of 18.0
BROMMA = Point(17.9400, 59.3380, srid=4326)  # north, west of 18.0


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """Loaded once for the module; each test's own changes roll back to it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_city_load()
        transaction.set_rollback(True)


def test_loads_the_117_districts_with_map_geometries(demo_city):
    assert District.objects.count() == 117
    assert not District.objects.filter(land_geometry__isnull=True).exists()
    assert District.objects.get(code="skarpnacks-gard").name == "Skarpnäcks gård"
    assert District.objects.get(geometry__contains=SODERMALM).name == "Södermalm"


def test_loads_departments_contractors_and_customer_service(demo_city):
    contractors = OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.CONTRACTOR)
    assert contractors.count() == 5
    assert OrganisationUnit.objects.filter(kind="department").count() >= 5
    assert OrganisationUnit.objects.get(handles_customer_service=True).code == "kundtjanst"
    assert OrganisationUnit.objects.get(code="trafikkontoret-gata").parent.code == "trafikkontoret"


def test_every_unit_with_staff_has_a_lead_who_gets_escalations(demo_city):
    leads = dict(
        OrganisationUnit.objects.exclude(code="trafikkontoret").values_list(
            "code", "lead__username"
        )
    )
    assert leads["kundtjanst"] == "ali.hassan" and leads["vintervag-nord"] == "vinter-nord"
    assert all(leads.values())
    assert all(
        unit.lead.unit_id == unit.pk
        for unit in OrganisationUnit.objects.exclude(lead=None).select_related("lead")
    )


def test_loads_categories_with_and_without_places(demo_city):
    with_place = {
        "snow-ice",
        "waste-bins",
        "pothole",
        "street-lighting",
        "graffiti",
        "parks",
        "traffic-signs",
    }
    without_place = {"invoice", "school-placement", "home-care", "general-question"}
    assert set(Category.objects.values_list("code", flat=True)) == with_place | without_place
    assert (
        set(Category.objects.filter(place_kind=PlaceKind.NONE).values_list("code", flat=True))
        == without_place
    )
    assert not Category.objects.filter(code__in=without_place, is_public=True).exists()
    snow = Category.objects.get(code="snow-ice")
    assert (
        snow.template_title_sv
        and snow.template_title_en
        and snow.acknowledge_within
        and snow.resolve_within
    )
    assert [f.code for f in snow.fields.all()] == ["surface", "problem"]
    assert snow.fields.get(code="surface").required


def test_no_question_of_a_category_is_named_as_the_category_question(demo_city):
    """A screen reader lists fields by name: "What is the problem?" is the
    choice of category; a category's own question must not be named so."""
    from frontend.report_form import ReportForm

    label = ReportForm.base_fields["category"].label
    with translation.override("sv"):
        swedish = str(label)
    with translation.override("en"):
        english = str(label)
    for category in Category.objects.prefetch_related("fields"):
        for field in category.fields.all():
            assert field.label_sv != swedish and field.label_en != english, field.code


@pytest.mark.parametrize(
    ("place", "category", "expected_unit"),
    [
        (SODERMALM, "snow-ice", "snorojning-syd"),
        (OSTERMALM, "snow-ice", "vintervag-nord"),
        (BROMMA, "snow-ice", "vintervag-nord"),
        (OSTERMALM, "waste-bins", "avfallsservice-ost"),
        (BROMMA, "waste-bins", "avfallsservice-vast"),
        (SODERMALM, "pothole", "stad-och-park"),
        (BROMMA, "graffiti", "stad-och-park"),
    ],
)
def test_contractor_areas_cover_the_demo_places(demo_city, place, category, expected_unit):
    covering = ServiceArea.objects.filter(geometry__contains=place, categories__code=category)
    assert list(covering.values_list("unit__code", flat=True)) == [expected_unit]


def test_winter_contracts_split_the_city_without_overlap(demo_city):
    north = ServiceArea.objects.get(code="winter-north").geometry
    south = ServiceArea.objects.get(code="winter-south").geometry
    city = ServiceArea.objects.get(code="street-park-city").geometry
    assert north.intersection(south).area < 1e-9
    assert abs(north.area + south.area - city.area) < 1e-9


def _request():
    """Log-ins go through the lock-out, which needs the request they came in."""
    return RequestFactory().post("/login/")


def test_every_role_has_a_demo_log_in(demo_city, client):
    for role in Role:
        user = (
            User.objects.filter(role=role, is_active=True).exclude(password__startswith="!").first()
        )
        assert user is not None, role
        assert client.login(request=_request(), username=user.username, password="geocases-demo")
    assert User.objects.get(username="admin").is_superuser


def test_directory_only_staff_cannot_log_in(demo_city, client):
    directory_only = User.objects.get(username="lars.berg")
    assert not directory_only.has_usable_password()
    assert not client.login(request=_request(), username="lars.berg", password="geocases-demo")


def test_loading_twice_changes_nothing(demo_city):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in (District, OrganisationUnit, Category, ServiceArea, User)
        }

    before = snapshot()
    agent = User.objects.get(username="agent")
    agent.set_password("changed-by-the-agent")
    agent.save()

    report = demo_city_load()

    assert snapshot() == before
    assert report.created == {}
    assert User.objects.get(username="agent").check_password("changed-by-the-agent")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("SÖDERMALM", "Södermalm"),
        ("SKARPNÄCKS GÅRD", "Skarpnäcks gård"),
        ("NORRA DJURGÅRDEN", "Norra Djurgården"),
        ("HÄSSELBY VILLASTAD", "Hässelby villastad"),
        ("LILLA ESSINGEN", "Lilla Essingen"),
    ],
)
def test_district_names_are_shown_as_swedes_write_them(raw, shown):
    assert district_display_name(raw) == shown
