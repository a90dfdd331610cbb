from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"map_tiles_configured": bool(settings.ENV.MAP_TILE_URL)}
