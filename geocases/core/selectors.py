"""Reads about the running system itself."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
BROKER_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class HealthReport:
    database: str
    postgis: str
    broker: str

    @property
    def healthy(self) -> bool:
        return OK == self.database == self.broker and self.postgis != UNAVAILABLE

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def health_check(*, broker_url: str | None = None) -> HealthReport:
    """Ask the database, PostGIS and the Celery broker whether they answer.

    Failures are logged with their cause but reported only as "unavailable":
    the endpoint is public and must not describe the infrastructure.
    """
    database, postgis = _database_and_postgis()
    broker = _broker(broker_url or settings.CELERY_BROKER_URL)
    return HealthReport(database=database, postgis=postgis, broker=broker)


def _database_and_postgis() -> tuple[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health: database unreachable")
        return UNAVAILABLE, UNAVAILABLE
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            return OK, cursor.fetchone()[0]
    except DatabaseError:
        logger.exception("health: PostGIS missing from the database")
        return OK, UNAVAILABLE


def _broker(url: str) -> str:
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception:  # kombu raises transport-specific errors; any of them means "down"
        logger.warning("health: broker unreachable", exc_info=True)
        return UNAVAILABLE
    return OK
