from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

# What Leaflet's own controls say, in the reader's language
# (static/frontend/js/city-backdrop.js puts it on every map of the pages).
LEAFLET_TEXT = {
    "zoom_in": gettext_lazy("Zoom in"),
    "zoom_out": gettext_lazy("Zoom out"),
    "map": gettext_lazy("Map"),
}


def site(request: HttpRequest) -> dict[str, object]:
    return {"map_tiles_configured": bool(settings.ENV.MAP_TILE_URL), "leaflet_text": LEAFLET_TEXT}
