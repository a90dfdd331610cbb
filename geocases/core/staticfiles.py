"""Static files: django.contrib.staticfiles, leaving out what we do not
serve. The API documentation is Swagger UI; drf-spectacular-sidecar also
ships ReDoc, whose bundle loads its logo from a CDN — not collected, so
nothing we serve points outside the site."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class GeocasesStaticFilesConfig(StaticFilesConfig):
    default = False
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
