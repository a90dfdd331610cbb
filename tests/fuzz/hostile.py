"""Hostile input for the public endpoints, shared by ``test_public_hostile``:
places that are not what they say, numbers that are not numbers, text that is
markup or SQL, files that are not photos (or photos that carry too much).

Builders return plain data (dicts, text, bytes); hypothesis strategies end in
``_values``/``places``/``mutations``. Nothing here touches the database.
"""

from __future__ import annotations

import io
import json
import math
import random
import struct
import zlib
from functools import cache
from typing import Any

from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

# A JPEG as a phone writes it: EXIF with camera, time and GPS position, a comment.
from tests.cases.test_case_attachment_add import GPS_IFD, jpeg_with_gps

# Inside the test world's service area (central Stockholm).
STOCKHOLM = (18.05, 59.35)

# ---------------------------------------------------------------- numbers

NOT_FINITE = [math.nan, math.inf, -math.inf]
EDGE_NUMBERS = [
    0.0,
    -0.0,
    180.0,
    -180.0,
    90.0,
    -90.0,
    180.0000001,
    -90.0000001,
    1e308,
    -1e308,
    5e-324,
    -5e-324,
    2.0**53,
    10**400,  # an integer no float can hold
    -(10**400),
]
# Numbers as people and programs write them wrongly.
NUMBER_TEXTS = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e308",
    "1e999",
    "-1e999",
    "0x1p3",
    "1_000",
    "18,05",
    " 18.05 ",
    "١٨",  # Arabic-Indic digits: float() reads them
    "",
    "null",
    "18.05; DROP TABLE cases_case; --",
    "1" * 400,
]


def number_values() -> st.SearchStrategy:
    """Any number JSON or a form may carry, the edges weighted in."""
    return st.one_of(
        st.sampled_from(NOT_FINITE + EDGE_NUMBERS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=-180, max_value=180),
        st.integers(min_value=-(10**400), max_value=10**400),
    )


def junk_values() -> st.SearchStrategy:
    """What a number field gets when the client is confused."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.text(max_size=8),
        st.sampled_from(NUMBER_TEXTS),
        st.lists(st.floats(allow_nan=False), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


def coordinate_values() -> st.SearchStrategy:
    """One latitude or longitude as JSON: mostly numbers, some junk."""
    return st.one_of(number_values(), junk_values())


def coordinate_texts() -> st.SearchStrategy:
    """One latitude or longitude as form text."""
    return st.one_of(
        st.sampled_from(NUMBER_TEXTS),
        number_values().map(_as_text),
        st.text(max_size=12),
        st.floats(min_value=59.2, max_value=59.5).map(repr),
    )


def _as_text(number: float | int) -> str:
    return repr(number) if isinstance(number, float) else str(number)


# ---------------------------------------------------------------- places

lons = st.floats(min_value=17.95, max_value=18.15)
lats = st.floats(min_value=59.25, max_value=59.45)

# GeoJSON "crs" members naming files, URLs and codes: GDAL < 3.9 would open
# them if the text ever reached it as a spatial reference.
CRS_MEMBERS = {
    "file": {"type": "name", "properties": {"name": "/etc/passwd"}},
    "urn": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
    "epsg": {"type": "name", "properties": {"name": "EPSG:3006"}},
    "url": {"type": "name", "properties": {"name": "http://169.254.169.254/latest/meta-data/"}},
    "vsicurl": {"type": "name", "properties": {"name": "/vsicurl/http://example.invalid/crs"}},
    "proj-init": {"type": "name", "properties": {"name": "+proj=longlat +init=/etc/passwd"}},
    "link-file": {"type": "link", "properties": {"href": "file:///etc/passwd", "type": "proj4"}},
    "link-url": {
        "type": "link",
        "properties": {"href": "http://example.invalid/crs.wkt", "type": "ogcwkt"},
    },
}
# Texts of the members above that GDAL must never be handed.
CRS_MARKERS = ("/etc/passwd", "urn:ogc:def:crs", "EPSG:3006", "169.254.169.254", "example.invalid")

GEOJSON_TYPES = [
    "Point",
    "Polygon",
    "LineString",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
    "Feature",
    "FeatureCollection",
    "point",
    "POLYGON",
    "",
]


def closed(ring: list) -> list:
    return [*ring, ring[0]] if ring else ring


def square_ring(lon: float, lat: float, size: float = 0.001) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def circle_ring(corners: int, lon: float = STOCKHOLM[0], lat: float = STOCKHOLM[1]) -> list:
    """A closed ring of ``corners`` positions (the closing one included)."""
    step = 2 * math.pi / (corners - 1)
    ring = [
        [lon + 0.01 * math.cos(i * step), lat + 0.005 * math.sin(i * step)]
        for i in range(corners - 1)
    ]
    return closed(ring)


# A document of 5000 nested arrays: too deep for json.dumps, so sent as text.
DEEP_DOCUMENT = object()


def nested(depth: int, inner: Any = None) -> Any:
    value = [] if inner is None else inner
    for _ in range(depth):
        value = [value]
    return value


def positions() -> st.SearchStrategy:
    return st.one_of(
        st.tuples(lons, lats).map(list),  # usable
        st.tuples(lons, lats, number_values()).map(list),  # with an altitude
        st.lists(coordinate_values(), max_size=4),  # anything
    )


def rings() -> st.SearchStrategy:
    return st.one_of(
        st.lists(st.tuples(lons, lats).map(list), min_size=3, max_size=9).map(closed),
        st.lists(st.tuples(lons, lats).map(list), min_size=2, max_size=9),  # unclosed
        st.lists(positions(), max_size=9),
    )


def usable_places() -> st.SearchStrategy:
    """Points and small (not always simple) polygons in Stockholm, some with a
    ``crs`` member or an altitude."""
    point = st.tuples(lons, lats).map(list)
    shell = st.one_of(
        st.builds(square_ring, lons, lats, st.floats(min_value=1e-6, max_value=0.05)),
        st.lists(point, min_size=3, max_size=7).map(closed),  # crossing edges now and then
    )
    geometry = st.one_of(
        st.builds(lambda p: {"type": "Point", "coordinates": p}, point),
        st.builds(lambda p, z: {"type": "Point", "coordinates": [*p, z]}, point, st.floats()),
        st.builds(lambda r: {"type": "Polygon", "coordinates": [r]}, shell),
    )
    crs = st.sampled_from([None, *CRS_MEMBERS.values()])
    return st.builds(lambda g, c: g if c is None else {**g, "crs": c}, geometry, crs)


def geojson_places() -> st.SearchStrategy:
    """GeoJSON-ish geometry objects: right, nearly right and wrong."""
    coordinates = st.one_of(
        positions(),
        st.lists(rings(), max_size=3),
        rings(),
        st.integers(1, 40).map(nested),
        coordinate_values(),
    )
    return st.one_of(
        usable_places(),
        usable_places(),
        st.builds(lambda c: {"type": "Point", "coordinates": c}, positions()),
        st.builds(
            lambda r, holes: {"type": "Polygon", "coordinates": [r, *holes]},
            rings(),
            st.lists(rings(), max_size=1),
        ),
        st.fixed_dictionaries(
            {"type": st.sampled_from(GEOJSON_TYPES), "coordinates": coordinates},
            optional={
                "crs": st.sampled_from(list(CRS_MEMBERS.values())),
                "bbox": st.lists(coordinate_values(), max_size=4),
                "geometries": st.lists(
                    st.builds(lambda p: {"type": "Point", "coordinates": p}, positions()),
                    max_size=2,
                ),
            },
        ),
        coordinate_values(),  # not an object at all
    )


def named_places(vertex_limit: int) -> dict[str, tuple[Any, str]]:
    """Hostile places by name: (GeoJSON, what must happen). "refused": a 4xx;
    "stored": accepted with exactly the given 2D coordinates (a crs member
    ignored, an altitude dropped); "either": accepted or refused, but sane."""
    lon, lat = STOCKHOLM
    ring = square_ring(lon, lat)
    bow_tie = [
        [lon, lat],
        [lon + 0.01, lat + 0.01],
        [lon + 0.01, lat],
        [lon, lat + 0.01],
        [lon, lat],
    ]
    places: dict[str, tuple[Any, str]] = {
        "point": ({"type": "Point", "coordinates": [lon, lat]}, "stored"),
        "polygon": ({"type": "Polygon", "coordinates": [ring]}, "stored"),
        "point-3d": ({"type": "Point", "coordinates": [lon, lat, 1e308]}, "stored"),
        "polygon-3d": (
            {"type": "Polygon", "coordinates": [[[x, y, 12.5] for x, y in ring]]},
            "stored",
        ),
        "point-4d": ({"type": "Point", "coordinates": [lon, lat, 1, 2]}, "refused"),
        "unclosed-ring": ({"type": "Polygon", "coordinates": [ring[:-1]]}, "either"),
        "ring-of-three": ({"type": "Polygon", "coordinates": [ring[:3]]}, "either"),  # closed
        "ring-of-two": ({"type": "Polygon", "coordinates": [ring[:2]]}, "refused"),
        "bow-tie": ({"type": "Polygon", "coordinates": [bow_tie]}, "refused"),
        "collinear": (
            {
                "type": "Polygon",
                "coordinates": [closed([[lon, lat], [lon + 1e-3, lat], [lon + 2e-3, lat]])],
            },
            "refused",
        ),
        "hole-outside-shell": (
            {"type": "Polygon", "coordinates": [ring, square_ring(lon + 0.1, lat + 0.1)]},
            "refused",
        ),
        "at-vertex-limit": (
            {"type": "Polygon", "coordinates": [circle_ring(vertex_limit)]},
            "stored",
        ),
        "over-vertex-limit": (
            {"type": "Polygon", "coordinates": [circle_ring(vertex_limit + 1)]},
            "refused",
        ),
        "far-over-vertex-limit": (
            {"type": "Polygon", "coordinates": [circle_ring(20 * vertex_limit)]},
            "refused",
        ),
        "whole-world": (
            {
                "type": "Polygon",
                "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]],
            },
            "refused",
        ),
        "equator-half": (
            {"type": "Polygon", "coordinates": [[[0, 0], [180, 0], [90, 10], [0, 0]]]},
            "refused",
        ),
        "pole-point": ({"type": "Point", "coordinates": [180, 90]}, "stored"),
        "lon-out-of-range": ({"type": "Point", "coordinates": [180.0000001, lat]}, "refused"),
        "lat-out-of-range": ({"type": "Point", "coordinates": [lon, -90.0000001]}, "refused"),
        "swapped-lat-lon-far": ({"type": "Point", "coordinates": [lat, 95.0]}, "refused"),
        "1e308": ({"type": "Point", "coordinates": [1e308, 1e308]}, "refused"),
        "huge-integer": ({"type": "Point", "coordinates": [10**400, lat]}, "refused"),
        "tiny-numbers": ({"type": "Point", "coordinates": [5e-324, -5e-324]}, "either"),
        "nan": ({"type": "Point", "coordinates": [math.nan, lat]}, "refused"),
        "infinity": ({"type": "Point", "coordinates": [math.inf, -math.inf]}, "refused"),
        "nan-in-ring": (
            {"type": "Polygon", "coordinates": [[*ring[:2], [math.nan, lat], *ring[2:]]]},
            "refused",
        ),
        "strings": ({"type": "Point", "coordinates": ["18.05", "59.35"]}, "either"),
        "sql-string": (
            {"type": "Point", "coordinates": ["18.05'; DROP TABLE cases_case; --", "59"]},
            "refused",
        ),
        "nulls": ({"type": "Point", "coordinates": [None, None]}, "refused"),
        "null-coordinates": ({"type": "Point", "coordinates": None}, "refused"),
        "empty-coordinates": ({"type": "Point", "coordinates": []}, "refused"),
        "empty-polygon": ({"type": "Polygon", "coordinates": []}, "refused"),
        "empty-ring": ({"type": "Polygon", "coordinates": [[]]}, "refused"),
        "nested-point": ({"type": "Point", "coordinates": [[lon, lat]]}, "either"),
        # shapely reads [[x, y]] as [x, y] however deep; the API refuses > 32 levels first.
        "deep-coordinates": ({"type": "Point", "coordinates": nested(40, [lon, lat])}, "either"),
        "deep-document": (DEEP_DOCUMENT, "refused"),
        "linestring": ({"type": "LineString", "coordinates": ring}, "refused"),
        "multipolygon": ({"type": "MultiPolygon", "coordinates": [[ring]]}, "refused"),
        "geometrycollection": (
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "Point", "coordinates": [lon, lat]}],
            },
            "refused",
        ),
        "feature": (
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {},
            },
            "refused",
        ),
        "featurecollection": ({"type": "FeatureCollection", "features": []}, "refused"),
        "lowercase-type": ({"type": "point", "coordinates": [lon, lat]}, "refused"),
        "type-not-text": ({"type": ["Point"], "coordinates": [lon, lat]}, "refused"),
        "no-type": ({"coordinates": [lon, lat]}, "refused"),
        "wkt-text": ("POINT(18.05 59.35)", "refused"),
        "number": (59.35, "refused"),
        "list": ([lon, lat], "refused"),
    }
    for name, crs in CRS_MEMBERS.items():
        places[f"crs-{name}-point"] = (
            {"type": "Point", "coordinates": [lon, lat], "crs": crs},
            "stored",
        )
        places[f"crs-{name}-polygon"] = (
            {"type": "Polygon", "coordinates": [ring], "crs": crs},
            "stored",
        )
    return places


# Latitude/longitude pairs as sent by forms and Open311: (lat, lon, what must happen).
NAMED_LAT_LONS: dict[str, tuple[str, str, str]] = {
    "stockholm": ("59.35", "18.05", "stored"),
    "poles": ("90", "180", "stored"),
    "negative-zero": ("-0.0", "-0.0", "stored"),
    "nan": ("NaN", "18.05", "refused"),
    "nan-lower": ("59.35", "nan", "refused"),
    "infinity": ("Infinity", "-Infinity", "refused"),
    "inf": ("inf", "18.05", "refused"),
    "1e308": ("1e308", "1e308", "refused"),
    "1e999": ("1e999", "18.05", "refused"),
    "huge-integer": ("1" * 400, "18.05", "refused"),
    "lat-out-of-range": ("90.0000001", "18.05", "refused"),
    "lon-out-of-range": ("59.35", "-180.0000001", "refused"),
    "swapped-far": ("180", "59.35", "refused"),
    "text": ("north", "east", "refused"),
    "sql": ("59.35'; DROP TABLE cases_case; --", "18.05", "refused"),
    "comma-decimal": ("59,35", "18,05", "refused"),
    "hex-float": ("0x1p3", "18.05", "refused"),
    "lat-only": ("59.35", "", "refused"),
    "lon-only": ("", "18.05", "refused"),
    "tiny": ("5e-324", "-5e-324", "either"),
}


def json_text(value: Any) -> str:
    """JSON as a careless client writes it: NaN and Infinity as bare words."""
    return json.dumps(value, allow_nan=True)


# ---------------------------------------------------------------- text

# Each carries its own alert(n), so a page that shows one unescaped says which.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
SVG = "'><svg onload=alert(3)>"
SCRIPT_END = "</script><script>alert(4)</script>"
BOLD = "<b onmouseover=alert(5)>x</b>"
TEMPLATE = "{{ 7|add:7 }}{% debug %}${7*7}"
SQL_DROP = "'; DROP TABLE cases_case; --"
SQL_OR = "1' OR '1'='1"
SQL_SLEEP = "'); SELECT pg_sleep(30); --"
RTL = "\u202egnp.exe\u202c \u2066isolate\u2069"
ZALGO = "Z\u0337\u031b\u0300a\u0335l\u0338g\u0334o \U0001f986\U0001f4a5 \ufeffBOM \u200b"
CONTROL = "bell\x07 back\x08 esc\x1b[31m del\x7f vt\x0b ff\x0c nel\x85 ls\u2028 ps\u2029 end"
# The raw fragments no page may contain (their escaped forms are fine).
DANGEROUS = [
    "<script>alert(",
    "<img src=x onerror",
    "<svg onload",
    "</script><script>",
    "<b onmouseover",
]

# Halves of UTF-16 surrogate pairs: JSON can escape them, but they are not text.
UNPAIRED = ["\ud800", "x\udfffy", "\ude00\ud83d"]
MARKUP = [SCRIPT, IMG, SVG, SCRIPT_END, BOLD]
HOSTILE_TEXTS = [*MARKUP, TEMPLATE, SQL_DROP, SQL_OR, SQL_SLEEP, RTL, ZALGO, CONTROL]


def hostile_texts(*, surrogates: bool = False, nul: bool = True) -> st.SearchStrategy:
    """Text as hostile as hypothesis can make it, the known payloads mixed in."""
    excluded = () if surrogates else ("Cs",)
    characters = st.characters(
        exclude_categories=excluded, exclude_characters=() if nul else ("\x00",)
    )
    payloads = [*HOSTILE_TEXTS, *(["a\x00b"] if nul else []), *(UNPAIRED if surrogates else [])]
    return st.one_of(
        st.sampled_from(payloads),
        st.text(characters, min_size=1, max_size=60),
        st.lists(st.sampled_from(payloads), min_size=2, max_size=4).map(" ".join),
    )


# A valid address whose local part is markup (quoted local parts are valid).
EMAIL_SCRIPT = '"<script>alert(6)</script>"@example.org'
EMAIL_SQL = "x'OR'1'='1@example.org"

# ---------------------------------------------------------------- files


def jpeg_with_malformed_exif() -> bytes:
    """A JPEG turned by EXIF (orientation 6) whose GPS altitude (a rational)
    holds text: Pillow reads it, but cannot write that EXIF back."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 19.0, 58.8), 3: "E", 4: (18.0, 4.0, 7.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    longitude_ref = bytes.fromhex("0003 0002 00000002 45000000")  # tag 3, ASCII, "E"
    altitude_as_text = bytes.fromhex("0006 0002 00000002 45000000")  # tag 6 (rational), ASCII
    data = out.getvalue()
    assert data.count(longitude_ref) == 1
    return data.replace(longitude_ref, altitude_as_text)


def png(size=(64, 48), mode="RGBA", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red").save(out, format="PNG", **save)
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    """A PNG carrying ``text`` in a tEXt chunk, a compressed one and XMP."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    info.add_text("Description", text, zip=True)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{text}</x:xmpmeta>")
    return png(pnginfo=info)


def noise_jpeg(size: int) -> bytes:
    """A JPEG of random pixels, at least ``size`` bytes."""
    side = 64
    while True:
        pixels = random.Random(side).randbytes(side * side * 3)  # noqa: S311 - test data
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), pixels).save(out, format="JPEG", quality=95)
        if out.tell() >= size:
            return out.getvalue()
        side *= 2


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A real one-pixel PNG (by Pillow) whose header says ``width`` x ``height``."""
    data = png((1, 1), mode="L")
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    start = data.index(b"IHDR") - 4
    return data[:start] + _png_chunk(b"IHDR", header) + data[start + 25 :]


@cache
def png_bomb(side: int = 30_000) -> bytes:
    """A complete, valid 1-bit PNG of ``side`` x ``side`` white pixels, of a
    few hundred kilobytes: decoded it would take ``side``² bytes of memory."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)  # filter "none", then the bits
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 500) for _ in range(side // 500)]
    parts.append(compressor.compress(row * (side % 500)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header (SOF0) says ``width`` x ``height``."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, format="JPEG")
    data = bytearray(out.getvalue())
    start = data.index(b"\xff\xc0")
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def other_format(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, format=image_format)
    return out.getvalue()


SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_SCRIPT = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = (
    b"%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    b"%%EOF\n"
)


def refused_uploads() -> dict[str, tuple[str, bytes, str]]:
    """Files the report form must refuse: name, bytes, declared content type."""
    jpeg, a_png = jpeg_with_gps(), png()
    return {
        "text": ("photo.jpg", b"just some text, not a photo\n", "image/jpeg"),
        "pdf": ("photo.jpg", PDF, "image/jpeg"),
        "pdf-named-pdf": ("invoice.pdf", PDF, "application/pdf"),
        "html-script": ("photo.png", HTML_SCRIPT, "image/png"),
        "svg-script": ("drawing.svg", SVG_SCRIPT, "image/svg+xml"),
        "svg-named-jpeg": ("photo.jpg", SVG_SCRIPT, "image/jpeg"),
        "empty": ("empty.jpg", b"", "image/jpeg"),
        "jpeg-magic-only": ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
        "truncated-jpeg": ("photo.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"),
        "truncated-png": ("photo.png", a_png[: len(a_png) - 30], "image/png"),
        "png-bomb-30000": ("bomb.png", png_bomb(), "image/png"),
        "png-header-30000": ("bomb.png", png_declaring(30_000, 30_000), "image/png"),
        "png-header-65535-wide": ("wide.png", png_declaring(65_535, 1_000), "image/png"),
        "jpeg-header-65535": ("bomb.jpg", jpeg_declaring(65_535, 65_535), "image/jpeg"),
        "gif": ("photo.gif", other_format("GIF"), "image/gif"),
        "bmp": ("photo.jpg", other_format("BMP"), "image/jpeg"),
        "tiff": ("photo.tiff", other_format("TIFF"), "image/tiff"),
        "script-name": ("<script>alert(1)</script>.jpg", b"not a photo", "image/jpeg"),
        "img-name": ("<img src=x onerror=alert(2)>.jpg", b"not a photo", "image/jpeg"),
        "traversal-name": ("../../../../etc/passwd.jpg", b"not a photo", "image/jpeg"),
    }


def mutations(seed: bytes) -> st.SearchStrategy:
    """``seed`` with a few bytes changed, cut or inserted."""
    size = len(seed)
    edit = st.one_of(
        st.tuples(st.just("set"), st.integers(0, size - 1), st.binary(min_size=1, max_size=4)),
        st.tuples(st.just("cut"), st.integers(0, size - 1), st.integers(1, 64)),
        st.tuples(st.just("insert"), st.integers(0, size - 1), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("truncate"), st.integers(0, size - 1), st.just(0)),
    )
    return st.lists(edit, min_size=1, max_size=6).map(lambda edits: _mutate(seed, edits))


def _mutate(seed: bytes, edits) -> bytes:
    data = bytearray(seed)
    for kind, position, value in edits:
        position = min(position, max(len(data) - 1, 0))
        if kind == "set":
            data[position : position + len(value)] = value
        elif kind == "cut":
            del data[position : position + value]
        elif kind == "insert":
            data[position:position] = value
        else:
            del data[position:]
    return bytes(data)
