"""Reading the map's cell counts: clusters and heat for a viewport, with
filters, current to the last committed change."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from geocases.categories.models import Category
from geocases.core.db import execute_prepared
from geocases.insights.grid import CellRange, level_for_zoom
from geocases.organisations.models import OrganisationUnit


@dataclass(frozen=True)
class CellFilter:
    """What to count. Empty lists mean "all"; months are first days, inclusive."""

    first_month: dt.date | None = None
    last_month: dt.date | None = None
    categories: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # 0: no responsible unit
    channels: list[str] = field(default_factory=list)

    @property
    def by_kind(self) -> bool:
        """Whether counts per kind of case are needed, not just per month."""
        return bool(self.categories or self.statuses or self.units or self.channels)

    def sql(self) -> tuple[str, dict]:
        """Conditions on the columns both the count and the change tables have."""
        conditions, params = [], {}
        if self.first_month:
            conditions.append("month >= %(first_month)s")
            params["first_month"] = self.first_month
        if self.last_month:
            conditions.append("month <= %(last_month)s")
            params["last_month"] = self.last_month
        for column, values in (
            ("category_id", self.categories),
            ("status", self.statuses),
            ("unit_id", self.units),
            ("channel", self.channels),
        ):
            if values:
                conditions.append(f"{column} = ANY(%({column})s)")
                params[column] = list(values)
        return "".join(f" AND {c}" for c in conditions), params


@dataclass(frozen=True)
class Cell:
    cx: int
    cy: int
    count: int
    lon: float  # the mean position of the cell's cases
    lat: float


# The SQL type of each parameter of CELLS_SQL and of CellFilter's conditions.
CELL_TYPES = {
    "level": "smallint",
    "rows": "integer[]",
    "x0": "integer",
    "x1": "integer",
    "y0": "integer",
    "y1": "integer",
    "west": "double precision",
    "east": "double precision",
    "south": "double precision",
    "north": "double precision",
    "first_month": "date",
    "last_month": "date",
    "category_id": "integer[]",
    "status": "text[]",
    "unit_id": "integer[]",
    "channel": "text[]",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

CELLS_SQL = """
SELECT cx, cy, sum(n)::integer, sum(sum_lon) / sum(n), sum(sum_lat) / sum(n)
FROM (
    SELECT cx, cy, n, sum_lon, sum_lat
    FROM {table}
    WHERE level = %(level)s
      AND cy = ANY(%(rows)s) AND cx BETWEEN %(x0)s AND %(x1)s{conditions}
    UNION ALL
    SELECT cx, cy, n, n * lon, n * lat
    FROM (
        SELECT insights_cell_index(mx, %(level)s) AS cx, insights_cell_index(my, %(level)s) AS cy,
               n, lon, lat
        FROM insights_cellchange
        WHERE lon BETWEEN %(west)s AND %(east)s AND lat BETWEEN %(south)s AND %(north)s{conditions}
    ) pending
    WHERE cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s
) counted
GROUP BY cx, cy
HAVING sum(n) > 0
"""


# The two shapes the map asks for, written by PostgreSQL: a planner's pan
# is a few dozen cells, and turning rows into Python objects and those into
# JSON costs more than the database spends writing it.
CELLS_JSON = {
    "clusters": """
SELECT json_build_object(
    'type', 'FeatureCollection',
    'level', %(level)s,
    'total', coalesce(sum(n), 0),
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', json_build_object(
            'type', 'Point',
            'coordinates', json_build_array(round(lon::numeric, 6), round(lat::numeric, 6))
        ),
        'properties', json_build_object('count', n, 'cell', json_build_array(cx, cy))
    )), '[]')
)::text
FROM ({cells}) counted_cells (cx, cy, n, lon, lat)
""",
    "heat": """
SELECT json_build_object(
    'level', %(level)s,
    'max', coalesce(max(n), 0),
    'total', coalesce(sum(n), 0),
    'points', coalesce(
        json_agg(json_build_array(round(lat::numeric, 6), round(lon::numeric, 6), n)), '[]'
    )
)::text
FROM ({cells}) counted_cells (cx, cy, n, lon, lat)
""",
}


def cells_in_view(
    *, bbox: tuple[float, float, float, float], zoom: int, where: CellFilter
) -> list[Cell]:
    """The cells of a viewport (west, south, east, north) at a map zoom, with
    the number of matching cases and their mean position."""
    with connection.cursor() as cursor:
        _cells_execute(cursor, "{cells}", bbox=bbox, zoom=zoom, where=where)
        return [Cell(*row) for row in cursor.fetchall()]


def cells_in_view_json(
    *, bbox: tuple[float, float, float, float], zoom: int, where: CellFilter, shape: str
) -> str:
    """The cells of ``cells_in_view`` as the map's JSON: ``"clusters"`` (a
    GeoJSON FeatureCollection of points with their count and cell index) or
    ``"heat"`` (``[lat, lon, count]`` and the largest count); both with the
    grid level and the total."""
    with connection.cursor() as cursor:
        _cells_execute(cursor, CELLS_JSON[shape], bbox=bbox, zoom=zoom, where=where)
        return cursor.fetchone()[0]


def _cells_execute(cursor, outer: str, *, bbox, zoom: int, where: CellFilter) -> None:
    """Run CELLS_SQL for the viewport, inside ``outer`` (its ``{cells}``)."""
    cells = CellRange.covering(bbox, level_for_zoom(zoom))
    conditions, params = where.sql()
    table = "insights_celldimcount" if where.by_kind else "insights_cellcount"
    sql = outer.format(cells=CELLS_SQL.format(table=table, conditions=conditions))
    west, south, east, north = cells.bounds()
    params.update(
        west=west,
        south=south,
        east=east,
        north=north,
        level=cells.level,
        x0=cells.x0,
        x1=cells.x1,
        y0=cells.y0,
        y1=cells.y1,
        rows=list(range(cells.y0, cells.y1 + 1)),
    )
    names = list(dict.fromkeys(_PLACEHOLDER.findall(sql)))
    statement = (
        "insights_cells_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
    )
    # Prepared: planning it costs about what running it does (a handful of
    # variants, each planned once per database session).
    execute_prepared(cursor, statement, sql, params, {n: CELL_TYPES[n] for n in names})


# From this zoom the planners' map shows cases one by one: a view is then a
# few hundred metres across. Each is a point at its public position (a case
# about a home coarsened, as in the cells) with its category, status, month
# and channel — never its number, text or reporter.
CASES_ZOOM = 18
CASES_LIMIT = 500  # the newest; the answer says when there were more

CASES_SQL = """
SELECT json_build_object(
    'type', 'FeatureCollection',
    'total', least(count(*), %(limit)s),
    'truncated', count(*) > %(limit)s,
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', json_build_object(
            'type', 'Point',
            'coordinates', json_build_array(round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6))
        ),
        'properties', json_build_object(
            'category', category, 'status', status, 'month', to_char(month, 'YYYY-MM'),
            'channel', channel
        )
    ) ORDER BY created_at DESC, id DESC) FILTER (WHERE newest <= %(limit)s), '[]')
)::text
FROM (
    SELECT placed.*, row_number() OVER (ORDER BY created_at DESC, id DESC) AS newest
    FROM (SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box) v
    CROSS JOIN LATERAL (
        SELECT c.id, c.created_at, c.category_id, k.code AS category, c.status, c.channel,
               coalesce(c.responsible_unit_id, 0) AS unit_id,
               insights_month(c.created_at) AS month, p
        FROM cases_case c
        JOIN categories_category k ON k.id = c.category_id
        CROSS JOIN LATERAL insights_point(c.location, k.concerns_home) p
        -- A coarsened position lies at most 0.0005 degrees from the place.
        WHERE c.location && ST_Expand(v.box, 0.001)
    ) placed
    WHERE ST_Intersects(p, v.box){conditions}
    ORDER BY created_at DESC, id DESC
    LIMIT %(limit)s + 1
) newest
"""


def cases_in_view_json(
    *, bbox: tuple[float, float, float, float], where: CellFilter, limit: int | None = None
) -> str:
    """The cases of a viewport (west, south, east, north) one by one, as the
    map's GeoJSON: the newest ``limit`` (``CASES_LIMIT``), how many that is
    (``total``), and whether there were more (``truncated``)."""
    limit = CASES_LIMIT if limit is None else limit
    conditions, params = where.sql()
    west, south, east, north = bbox
    params.update(west=west, south=south, east=east, north=north, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(CASES_SQL.format(conditions=conditions), params)
        return cursor.fetchone()[0]


# Category and unit codes, as the map's filters name them, to ids: kept per
# process for a minute (a filtered pan would otherwise spend a query on
# them). An unknown code reads them again at once, so a new category is
# found; saving or deleting a category or unit forgets them in the process
# that does it; in the others a renamed code (or a unit moved under another)
# keeps its old meaning for at most that minute (and in this one, should the
# transaction that renamed it read them and then roll back).
CODES_SECONDS = 60
_codes_lock = threading.Lock()
_codes: dict[str, tuple[float, dict[str, list[int]]]] = {}
_codes_generation = 0  # counts the forgettings: codes read before one are not kept
_CODED = {"category": Category, "unit": OrganisationUnit}


def filter_ids_by_code(kind: str, codes: list[str]) -> tuple[list[int], list[str]]:
    """The ids of ``codes`` (``kind``: "category" or "unit"), in their order,
    and the codes no such row has. A unit stands for itself and every unit
    below it (its teams, and theirs): the cases of a department are held by
    its teams (``parent``), so filtering on it must count theirs."""
    kept = _codes.get(kind)
    known = kept[1] if kept and kept[0] > time.monotonic() else None
    if known is None or any(code not in known for code in codes):
        generation = _codes_generation
        known = _ids_by_code(kind)
        with _codes_lock:
            if generation == _codes_generation:
                _codes[kind] = (time.monotonic() + CODES_SECONDS, known)
    unknown = [code for code in codes if code not in known]
    ids = [pk for code in codes if code in known for pk in known[code]]
    return list(dict.fromkeys(ids)), unknown


def _ids_by_code(kind: str) -> dict[str, list[int]]:
    """Each code's id, a unit's followed by those of every unit below it."""
    if kind != "unit":
        return {code: [pk] for code, pk in _CODED[kind].objects.values_list("code", "pk")}
    rows = list(_CODED[kind].objects.values_list("code", "pk", "parent_id"))
    teams: dict[int, list[int]] = {}
    for _code, pk, parent in rows:
        if parent is not None:
            teams.setdefault(parent, []).append(pk)

    def below(pk: int) -> list[int]:
        found, waiting = [pk], list(teams.get(pk, []))
        while waiting:
            team = waiting.pop(0)
            if team not in found:  # (a loop of parents drawn by mistake ends here)
                found.append(team)
                waiting.extend(teams.get(team, []))
        return found

    return {code: below(pk) for code, pk, _parent in rows}


def filter_units_in_scope(*, user, units: list[int]) -> list[int]:
    """The units a filter of ``user``'s counts: those asked for (none: all),
    limited to what their role may see — a contractor (scope own) only their
    own organisation's unit, as ``Case.objects.visible_to`` gives them: not
    the units below it, whose cases they cannot open either; asking for
    another's gives nothing (``[-1]``, no unit), never an error that would
    tell which units exist."""
    from geocases.accounts.access import Scope, scope_of

    if scope_of(user) != Scope.OWN:
        return units
    return [user.unit_id] if not units or user.unit_id in units else [-1]


def filter_codes_forget(*args, **kwargs) -> None:
    """Forget the kept codes (post_save / post_delete of a category or unit):
    now, and again when the change commits — a request that read the codes
    in between read them without it."""
    filter_codes_clear()
    transaction.on_commit(filter_codes_clear, using=kwargs.get("using"))


def filter_codes_clear() -> None:
    """Forget the kept codes now, and any being read."""
    global _codes_generation
    with _codes_lock:
        _codes.clear()
        _codes_generation += 1
