"""factory_boy factories for the domain models; tests build the data they need."""

import datetime as dt

import factory
from django.contrib.gis.geos import MultiPolygon, Polygon

from geocases.accounts.models import Role, User
from geocases.areas.models import District, ServiceArea
from geocases.categories.models import Category, CategoryGroup, PlaceKind
from geocases.organisations.models import OrganisationUnit


def square(lon: float, lat: float, size: float = 0.01) -> MultiPolygon:
    """A square of ``size`` degrees with its south-west corner at (lon, lat)."""
    ring = ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = OrganisationUnit.Kind.DEPARTMENT


class ContractorFactory(OrganisationUnitFactory):
    code = factory.Sequence(lambda n: f"contractor-{n}")
    name = factory.Sequence(lambda n: f"Entreprenör {n} AB")
    kind = OrganisationUnit.Kind.CONTRACTOR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.AGENT
    unit = factory.SubFactory(OrganisationUnitFactory)
    password = factory.django.Password("secret-password")


class CategoryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"group-{n}")
    name_sv = factory.Sequence(lambda n: f"Grupp {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"category-{n}")
    group = factory.SubFactory(CategoryGroupFactory)
    name_sv = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    place_kind = PlaceKind.POINT
    default_unit = factory.SubFactory(OrganisationUnitFactory)
    acknowledge_within = dt.timedelta(hours=8)
    feedback_within = dt.timedelta(hours=24)
    resolve_within = dt.timedelta(hours=80)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"Stadsdel {n}")
    geometry = factory.Sequence(lambda n: square(18.0 + 0.01 * n, 59.3))
    land_geometry = factory.LazyAttribute(lambda d: d.geometry)


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Område {n}")
    unit = factory.SubFactory(ContractorFactory)
    geometry = factory.LazyFunction(lambda: square(18.0, 59.3, 0.1))
    valid_from = dt.date(2025, 1, 1)
    valid_to = None

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


def staff_actor(role: str = "agent", unit: OrganisationUnit | None = None):
    from geocases.cases.actors import Actor

    user = UserFactory(role=role, unit=unit or OrganisationUnitFactory())
    return Actor.staff(user)


def case_in_status(status: str, **kwargs):
    """A case put straight into ``status`` (set-up for tests of what follows)."""
    import datetime as dt

    from geocases.cases.actors import SYSTEM
    from geocases.cases.models import Case
    from geocases.cases.services import case_create

    kwargs.setdefault("category", CategoryFactory())
    kwargs.setdefault("channel", "phone")
    case = case_create(actor=SYSTEM, **kwargs)
    fields = {"status": status}
    if status == "parked":
        fields.update(parked_until=dt.date(2099, 1, 1), status_before_parking="assigned")
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def case_with_personal_data(category, **changes):
    """A case full of what the privacy rules are about: a reporter with name,
    e-mail and phone, a place near a home with its address, and free text
    naming a person. ``changes`` replace any of them."""
    from django.contrib.gis.geos import Point

    from geocases.cases.actors import SYSTEM
    from geocases.cases.services import case_create

    given = {
        "channel": "phone",
        "location": Point(18.061234, 59.334567, srid=4326),
        "address": "Drottninggatan 12",
        "description": "Ring Per på 070-123 45 67",
        "reporter_name": "Per Persson",
        "reporter_email": "per@example.org",
        "reporter_phone": "0701234567",
    }
    return case_create(actor=SYSTEM, category=category, **{**given, **changes})
