"""Where seeded cases are: dense in the centre along its streets (near real
addresses), thinning out over the rest of the city's land; which district
that is; and who the service areas make responsible there on that day.
Vectorised with shapely 2, so a million places take seconds."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

import shapely
from shapely import wkb

from geocases.areas.models import District, ServiceArea
from geocases.geocoding.models import Address

CENTRE = (18.0686, 59.3293)  # Sergels torg
NEAR_ADDRESS_SHARE = 0.45
DISTANCE_SCALE_KM = 6.0  # how fast reports thin out away from the centre


@dataclass
class Place:
    lon: float
    lat: float
    address: str


class CityPlaces:
    """Random places over the city, with what the map and routing need."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.addresses = [
            (a.location.x, a.location.y, f"{a.street} {a.housenumber}")
            for a in Address.objects.all()
        ]
        districts = list(District.objects.all())
        if not districts:
            raise ValueError("Load the demo city first (manage.py demo_load): it has no districts.")
        self.district_ids = [d.pk for d in districts]
        self.district_shapes = [wkb.loads(bytes(d.geometry.wkb)) for d in districts]
        self.tree = shapely.STRtree(self.district_shapes)
        land = [wkb.loads(bytes((d.land_geometry or d.geometry).wkb)) for d in districts]
        for shape in land:
            shapely.prepare(shape)
        self.land = land
        weights = []
        for shape in land:
            centre = shape.centroid
            km = _km(centre.x, centre.y, *CENTRE)
            weights.append(shapely.area(shape) * math.exp(-km / DISTANCE_SCALE_KM))
        self.land_weights = weights

    def sample(self, count: int) -> list[Place]:
        near = sum(
            1 for _ in range(count) if self.addresses and self.rng.random() < NEAR_ADDRESS_SHARE
        )
        places = [self._near_address() for _ in range(near)]
        chosen = self.rng.choices(range(len(self.land)), weights=self.land_weights, k=count - near)
        by_district: dict[int, int] = {}
        for index in chosen:
            by_district[index] = by_district.get(index, 0) + 1
        for index, wanted in by_district.items():
            places += self._on_land(index, wanted)
        self.rng.shuffle(places)
        return places

    def _near_address(self) -> Place:
        lon, lat, text = self.rng.choice(self.addresses)
        return Place(lon + self.rng.gauss(0, 0.0003), lat + self.rng.gauss(0, 0.00015), text)

    def _on_land(self, index: int, wanted: int) -> list[Place]:
        shape = self.land[index]
        west, south, east, north = shapely.bounds(shape)
        found: list[Place] = []
        while len(found) < wanted:
            batch = max(64, 2 * (wanted - len(found)))
            xs = [self.rng.uniform(west, east) for _ in range(batch)]
            ys = [self.rng.uniform(south, north) for _ in range(batch)]
            inside = shapely.contains_xy(shape, xs, ys)
            found += [Place(x, y, "") for x, y, keep in zip(xs, ys, inside, strict=True) if keep]
        return found[:wanted]

    def districts_of(self, lons: list[float], lats: list[float]) -> list[int | None]:
        """The district holding each point (full extent, water included)."""
        points = shapely.points(lons, lats)
        pairs = self.tree.query(points, predicate="intersects")
        found: list[int | None] = [None] * len(lons)
        for point_index, shape_index in zip(*pairs, strict=True):
            if found[point_index] is None:
                found[point_index] = self.district_ids[shape_index]
        return found


@dataclass
class Contract:
    area_id: int
    unit_id: int
    categories: set[int]
    shape: object
    valid_from: dt.date
    valid_to: dt.date | None
    season: tuple[str, str] | None
    priority: int
    size: float
    targets: dict

    def in_force(self, day: dt.date) -> bool:
        if day < self.valid_from or (self.valid_to and day > self.valid_to):
            return False
        if not self.season:
            return True
        start, end = self.season
        mmdd = day.strftime("%m-%d")
        return start <= mmdd <= end if start <= end else (mmdd >= start or mmdd <= end)


class Contracts:
    """The service areas, to route seeded cases as the routing rules would
    for a point: the covering area in force, highest priority, then smallest."""

    def __init__(self):
        self.contracts = []
        for area in ServiceArea.objects.prefetch_related("categories"):
            shape = wkb.loads(bytes(area.geometry.wkb))
            shapely.prepare(shape)
            season = (area.season_start, area.season_end) if area.season_start else None
            targets = {
                name: getattr(area, name)
                for name in ("acknowledge_within", "feedback_within", "resolve_within")
            }
            self.contracts.append(
                Contract(
                    area.pk,
                    area.unit_id,
                    {c.pk for c in area.categories.all()},
                    shape,
                    area.valid_from,
                    area.valid_to,
                    season,
                    area.priority,
                    area.size_m2,
                    targets,
                )
            )
        self.contracts.sort(key=lambda c: (-c.priority, c.size))

    def covering(self, lons, lats, categories, days) -> list[Contract | None]:
        chosen: list[Contract | None] = [None] * len(lons)
        for contract in self.contracts:
            inside = shapely.contains_xy(contract.shape, lons, lats)
            for i, covered in enumerate(inside):
                if (
                    covered
                    and chosen[i] is None
                    and categories[i] in contract.categories
                    and contract.in_force(days[i])
                ):
                    chosen[i] = contract
        return chosen


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    dy = (lat1 - lat2) * 110.57
    return math.hypot(dx, dy)
