"""The map grid the aggregates are counted on: the Web Mercator tiles of the
slippy map, one level finer than the zoom shown, so that a cell is 128
pixels wide on screen. The same arithmetic is in SQL
(``insights_cell_x`` / ``insights_cell_y``, migration 0002), so a cell
computed here is the cell PostgreSQL counted."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Levels kept: level L divides the world into 2^L by 2^L cells. 7 shows a
# region (zoom 6), 18 a block of a street (zoom 17).
LEVELS = range(7, 19)
# The most cells one view may cover above the coarsest level: a screen 8,192
# pixels wide and high. More means a zoom that does not match the box (the
# whole city at street level: every cell of it in one answer).
MAX_VIEW_CELLS = 64 * 64
# Latitudes the projection can hold (the slippy map's square world).
MAX_LAT = 85.0511287798


def level_for_zoom(zoom: int) -> int:
    return min(max(zoom + 1, LEVELS.start), LEVELS.stop - 1)


def cell_x(lon: float, level: int) -> int:
    return min(math.floor((lon + 180.0) / 360.0 * 2**level), 2**level - 1)


def cell_y(lat: float, level: int) -> int:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    rad = math.radians(lat)
    y = math.floor((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * 2**level)
    return min(max(y, 0), 2**level - 1)


@dataclass(frozen=True)
class CellRange:
    """The cells a box touches at a level (y grows southwards)."""

    level: int
    x0: int
    x1: int
    y0: int
    y1: int

    @classmethod
    def covering(cls, bbox: tuple[float, float, float, float], level: int) -> CellRange:
        west, south, east, north = bbox
        return cls(
            level,
            cell_x(west, level),
            cell_x(east, level),
            cell_y(north, level),
            cell_y(south, level),
        )

    def bounds(self) -> tuple[float, float, float, float]:
        """The cells' outer edges (west, south, east, north), a hair wider."""
        size = 2**self.level

        def lat_of(row: int) -> float:
            return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / size))))

        hair = 1e-9
        return (
            self.x0 / size * 360 - 180 - hair,
            lat_of(self.y1 + 1) - hair,
            (self.x1 + 1) / size * 360 - 180 + hair,
            lat_of(self.y0) + hair,
        )

    @property
    def count(self) -> int:
        return (self.x1 - self.x0 + 1) * (self.y1 - self.y0 + 1)
