"""Loading the demo city: Stockholm's real districts and an invented organisation.

Everything is upserted on stable codes, so loading twice changes nothing and a
newer ``demo_city.json`` updates what an earlier load created.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils.text import slugify

from geocases.accounts.models import User
from geocases.areas.selectors import district_union
from geocases.areas.services import district_upsert, service_area_upsert
from geocases.categories.models import Category, CategoryField, CategoryGroup
from geocases.organisations.models import OrganisationUnit

DEFAULT_FIXTURES_DIR = settings.BASE_DIR / "fixtures"
DEMO_CITY_FILE = "demo_city.json"

# Words after which Swedish place names keep a capital: "Norra Djurgården".
_NAME_PREFIXES = {"norra", "södra", "östra", "västra", "lilla", "stora", "gamla"}

T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int], Iterator[T]]


def _no_progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    yield from items


@dataclass
class DemoLoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.updated)[kind] += 1

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated))
        return [
            f"{kind}: {self.created[kind] + self.updated[kind]} ({self.created[kind]} new)"
            for kind in kinds
        ]


def ascii_fold(text: str) -> str:
    """ "Skarpnäcks gård" -> "Skarpnacks gard": for codes and invented e-mail addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def district_display_name(raw: str, overrides: dict[str, str] | None = None) -> str:
    """ "SKARPNÄCKS GÅRD" -> "Skarpnäcks gård", "NORRA DJURGÅRDEN" -> "Norra Djurgården"."""
    if overrides and raw in overrides:
        return overrides[raw]
    words = raw.lower().split()
    capitalise_next = True
    shown = []
    for word in words:
        shown.append(word.capitalize() if capitalise_next else word)
        capitalise_next = word in _NAME_PREFIXES
    return " ".join(shown)


def demo_definition(*, fixtures_dir: Path = DEFAULT_FIXTURES_DIR) -> dict[str, Any]:
    return json.loads((fixtures_dir / DEMO_CITY_FILE).read_text(encoding="utf-8"))


def demo_city_load(
    *, fixtures_dir: Path = DEFAULT_FIXTURES_DIR, progress: Progress = _no_progress
) -> DemoLoadReport:
    """Load districts, units, categories, service areas and staff in one transaction."""
    definition = demo_definition(fixtures_dir=fixtures_dir)
    report = DemoLoadReport()
    with transaction.atomic():
        _load_districts(definition["districts"], fixtures_dir, report, progress)
        _load_addresses(fixtures_dir, report, progress)
        units = _load_units(definition["units"], report)
        categories = _load_categories(
            definition["category_groups"], definition["categories"], units, report, progress
        )
        _load_service_areas(definition["service_areas"], units, categories, report, progress)
        _load_users(definition["users"], definition["demo_password"], units, report, progress)
        _load_unit_leads(definition["units"], units)
        _load_articles(definition.get("articles", []), categories, report)
    return report


def _load_addresses(fixtures_dir: Path, report: DemoLoadReport, progress: Progress) -> None:
    """Central Stockholm's addresses and streets (OpenStreetMap), for address search."""
    from geocases.geocoding.services import addresses_load, streets_load

    folder = fixtures_dir / "stockholm"
    for kind, load, name in (
        ("addresses", addresses_load, "stockholm_central_addresses_osm.csv"),
        ("streets", streets_load, "stockholm_central_streets_osm.csv"),
    ):
        total, new = load(path=folder / name, progress=progress)
        if new:
            report.created[kind] += new
        if total - new:
            report.updated[kind] += total - new


def _load_articles(specs: list[dict], categories: dict, report: DemoLoadReport) -> None:
    """The knowledge base's first articles; ones that exist are left as they are
    (agents may have edited them)."""
    from geocases.accounts.models import User
    from geocases.knowledge.models import Article
    from geocases.knowledge.services import article_save

    author = User.objects.filter(role="administrator").order_by("pk").first()
    for spec in specs:
        if Article.objects.filter(title=spec["title"]).exists():
            report.count("articles", created=False)
            continue
        article_save(
            user=author,
            title=spec["title"],
            body=spec["body"],
            kind=spec["kind"],
            categories=[categories[code] for code in spec["categories"]],
            checklist=spec.get("checklist"),
        )
        report.count("articles", created=True)


def _features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _load_districts(spec: dict, fixtures_dir: Path, report: DemoLoadReport, progress: Progress):
    name_key = spec["name_property"]
    land = {
        feature["properties"][name_key]: feature["geometry"]
        for feature in _features(fixtures_dir / spec["land_file"])
    }
    features = _features(fixtures_dir / spec["file"])
    for feature in progress(features, "districts", len(features)):
        raw_name = feature["properties"][name_key]
        land_geometry = land.get(raw_name)
        _, created = district_upsert(
            code=slugify(ascii_fold(raw_name.lower())),
            name=district_display_name(raw_name, spec.get("names")),
            geometry=GEOSGeometry(json.dumps(feature["geometry"]), srid=4326),
            land_geometry=GEOSGeometry(json.dumps(land_geometry), srid=4326)
            if land_geometry
            else None,
        )
        report.count("districts", created)


def _load_units(specs: list[dict], report: DemoLoadReport) -> dict[str, OrganisationUnit]:
    units: dict[str, OrganisationUnit] = {}
    for spec in specs:  # parents come before their teams in the file
        values = {k: v for k, v in spec.items() if k not in {"code", "parent", "lead"}}
        values["parent"] = units[spec["parent"]] if spec.get("parent") else None
        unit, created = OrganisationUnit.objects.update_or_create(
            code=spec["code"], defaults=values
        )
        units[unit.code] = unit
        report.count("organisation units", created)
    return units


def _hours(value: float | None) -> dt.timedelta | None:
    return dt.timedelta(hours=value) if value is not None else None


def _load_categories(
    group_specs: list[dict],
    specs: list[dict],
    units: dict[str, OrganisationUnit],
    report: DemoLoadReport,
    progress: Progress,
) -> dict[str, Category]:
    groups: dict[str, CategoryGroup] = {}
    for spec in group_specs:
        group, created = CategoryGroup.objects.update_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )
        groups[group.code] = group
        report.count("category groups", created)

    categories: dict[str, Category] = {}
    for spec in progress(specs, "categories", len(specs)):
        template = spec["template"]
        category, created = Category.objects.update_or_create(
            code=spec["code"],
            defaults={
                "group": groups[spec["group"]],
                "order": spec["order"],
                "name_sv": spec["name_sv"],
                "name_en": spec["name_en"],
                "description_sv": spec["description_sv"],
                "description_en": spec["description_en"],
                "keywords": spec["keywords"],
                "place_kind": spec["place_kind"],
                "default_unit": units[spec["default_unit"]],
                "template_title_sv": template["title"],
                "template_title_en": template.get("title_en", ""),
                "template_description": template["description"],
                "template_priority": template["priority"],
                "acknowledge_within": _hours(spec["acknowledge_hours"]),
                "feedback_within": _hours(spec["feedback_hours"]),
                "resolve_within": _hours(spec["resolve_hours"]),
                "retention_days": spec["retention_days"],
                "is_public": spec["is_public"],
                "concerns_home": spec["concerns_home"],
            },
        )
        categories[category.code] = category
        report.count("categories", created)
        for field_spec in spec["fields"]:
            _, field_created = CategoryField.objects.update_or_create(
                category=category,
                code=field_spec["code"],
                defaults={k: v for k, v in field_spec.items() if k != "code"},
            )
            report.count("category fields", field_created)
        category.fields.exclude(code__in=[f["code"] for f in spec["fields"]]).delete()
    return categories


def _load_service_areas(
    specs: list[dict],
    units: dict[str, OrganisationUnit],
    categories: dict[str, Category],
    report: DemoLoadReport,
    progress: Progress,
) -> None:
    for spec in progress(specs, "service areas", len(specs)):
        selection = spec["districts"]
        geometry = district_union() if selection == "all" else district_union(**selection)
        _, created = service_area_upsert(
            code=spec["code"],
            name=spec["name"],
            unit=units[spec["unit"]],
            categories=[categories[code] for code in spec["categories"]],
            geometry=geometry,
            valid_from=dt.date.fromisoformat(spec["valid_from"]),
            valid_to=dt.date.fromisoformat(spec["valid_to"]) if spec["valid_to"] else None,
            priority=spec["priority"],
            season_start=spec.get("season_start", ""),
            season_end=spec.get("season_end", ""),
        )
        report.count("service areas", created)


def _load_unit_leads(specs: list[dict], units: dict[str, OrganisationUnit]) -> None:
    """Each unit's lead (who gets escalations), once the staff exist."""
    leads = {user.username: user for user in User.objects.filter(unit__in=units.values())}
    for spec in specs:
        lead = leads.get(spec.get("lead", ""))
        unit = units[spec["code"]]
        if unit.lead_id != (lead.pk if lead else None):
            unit.lead = lead
            unit.save(update_fields=["lead"])


def _load_users(
    specs: list[dict],
    password: str,
    units: dict[str, OrganisationUnit],
    report: DemoLoadReport,
    progress: Progress,
) -> None:
    # Hashing is deliberately slow; the demo password is public, so hash it once.
    password_hash = make_password(password)
    for spec in progress(specs, "staff", len(specs)):
        user, created = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": spec["email"],
                "phone": spec["phone"],
                "job_title": spec["job_title"],
                "role": spec["role"],
                "unit": units[spec["unit"]],
                "is_staff": spec.get("superuser", False),
                "is_superuser": spec.get("superuser", False),
            },
        )
        if created:
            # Only at creation: a demo user who changed their password keeps it.
            if spec["login"]:
                user.password = password_hash
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        report.count("staff", created)
