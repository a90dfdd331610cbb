"""geocases: case management for a city's customer service, with places on the map."""

from geocases.celery import app as celery_app

__all__ = ["celery_app"]
