"""Reading routing decisions: for a place and category, or for a preview."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.areas.models import ServiceArea
from geocases.categories.models import Category
from geocases.core.db import execute_prepared
from geocases.organisations.models import OrganisationUnit
from geocases.routing.rules import explained_sql, near_degrees

ONE_PLACE = (
    "SELECT 0::bigint AS id, %(category)s AS category_id, "
    "ST_GeomFromEWKB(%(location)s) AS location, %(default_unit)s AS default_unit_id"
)
# Planned once per database session: planning this query costs several times
# more than running it for one place.
DECIDE_ONE = explained_sql(ONE_PLACE)
DECIDE_ONE_TYPES = {
    "category": "bigint",
    "location": "bytea",
    "default_unit": "bigint",
    "on": "date",
    "near_degrees": "float8",
    "near_metres": "float8",
}


@dataclass(frozen=True)
class RoutingDecision:
    rule: str  # point | area | no_candidate | no_place (| manual, when stored)
    unit: OrganisationUnit
    area: ServiceArea | None
    flag: str  # "" | confirm | outside_coverage
    on: dt.date
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """What is stored on the case and shown to agents and in the API."""
        return {
            "rule": self.rule,
            "on": self.on.isoformat(),
            "unit": {"id": self.unit.pk, "name": self.unit.name},
            "area": _area_json(self.area),
            "flag": self.flag,
            "candidates": self.candidates,
        }


def _area_json(area: ServiceArea | None) -> dict[str, Any] | None:
    return {"id": area.pk, "code": area.code, "name": area.name} if area else None


def routing_params(*, on: dt.date, latitude: float = 60.0) -> dict[str, Any]:
    metres = settings.GEOCASES_ROUTING_CONFIRM_METERS
    return {"on": on, "near_metres": metres, "near_degrees": near_degrees(metres, latitude)}


def routing_decide(
    *, category: Category, location: GEOSGeometry | None, on: dt.date | None = None
) -> RoutingDecision:
    """Who should be responsible for a case of ``category`` at ``location`` on ``on``."""
    on = on or timezone.localdate()
    default_unit = category.default_unit
    if location is None:
        return RoutingDecision("no_place", default_unit, None, "", on)
    params = {
        **routing_params(on=on, latitude=location.centroid.y),
        "category": category.pk,
        "location": bytes(location.ewkb),
        "default_unit": default_unit.pk,
    }
    with connection.cursor() as cursor:
        execute_prepared(cursor, "geocases_routing_decide", DECIDE_ONE, params, DECIDE_ONE_TYPES)
        _, area_id, _unit_id, rule, flag, listed = cursor.fetchone()
    rows = json.loads(listed)
    areas = {row["id"]: _area_loaded(row) for row in rows}
    candidates = [
        {
            "area": _area_json(areas[row["id"]]),
            "unit": row["unit_name"],
            "priority": row["priority"],
            "size_km2": round(row["size_m2"] / 1e6, 3),
            "covers": row["covers"],
            "overlap_m2": round(row["overlap_m2"], 1),
        }
        for row in rows
    ]
    unit = areas[area_id].unit if area_id else default_unit
    return RoutingDecision(rule, unit, areas.get(area_id), flag, on, candidates)


def _area_loaded(row: dict[str, Any]) -> ServiceArea:
    """A candidate area and its unit as ``.only()`` would load them (other
    fields load on access), from the decision's own row: no second query."""
    unit = OrganisationUnit.from_db(
        connection.alias, ["id", "name"], [row["unit_id"], row["unit_name"]]
    )
    loaded = {name: row[name] for name in ("id", "code", "name", "unit_id", "priority", "size_m2")}
    for target in ("acknowledge_within", "feedback_within", "resolve_within"):
        seconds = row[target]
        loaded[target] = dt.timedelta(seconds=float(seconds)) if seconds is not None else None
    # from_db takes the values in the model's field order.
    names = [f.attname for f in ServiceArea._meta.concrete_fields if f.attname in loaded]
    area = ServiceArea.from_db(connection.alias, names, [loaded[name] for name in names])
    area.unit = unit
    return area


def routing_explanation(routing: dict[str, Any]) -> str:
    """A sentence for agents: why this unit is responsible."""
    if not routing:
        return _("Not routed yet.")
    unit = routing.get("unit", {}).get("name", "?")
    area = (routing.get("area") or {}).get("name", "")
    text = {
        "point": _("%(unit)s: the place lies in the service area “%(area)s”."),
        "area": _("%(unit)s: the area overlaps “%(area)s” the most."),
        "no_candidate": _("%(unit)s: no service area covers the place (the category's default)."),
        "no_place": _("%(unit)s: the case has no place (the category's default)."),
        "manual": _("%(unit)s: chosen by hand."),
    }.get(routing.get("rule"), "%(unit)s") % {"unit": unit, "area": area}
    others = [c["unit"] for c in routing.get("candidates", []) if c["unit"] != unit]
    if others:
        text += " " + _("Other candidates: %(units)s.") % {"units": ", ".join(sorted(set(others)))}
    if routing.get("flag") == "confirm":
        text += " " + _("Near another contract's boundary: please confirm.")
    return text
