"""The one typed schema of geocases' environment.

Every setting an operator may change is read here, from environment variables,
and validated before Django starts, so that a typo in production fails loudly
at start-up instead of at the first request. ``geocases.settings`` turns an
``Environment`` into Django settings; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

# Used only while DEBUG is on. The prefix is what Django's deploy check and our
# own start-up check recognise as "not a real key".
DEVELOPMENT_SECRET_KEY = "django-insecure-geocases-development-only"  # noqa: S105


class EmailBackend(StrEnum):
    SMTP = "smtp"
    CONSOLE = "console"
    FILE = "file"
    MEMORY = "locmem"

    @property
    def module(self) -> str:
        """Django's module for this backend (the file one is ``filebased``)."""
        return "filebased" if self is EmailBackend.FILE else self.value


class Language(StrEnum):
    SWEDISH = "sv"
    ENGLISH = "en"


class ConfigurationError(Exception):
    """The environment does not describe a site that may start."""


class Environment(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    DEBUG: bool = False
    SECRET_KEY: SecretStr | None = None
    ALLOWED_HOSTS: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost"]
    )
    CSRF_TRUSTED_ORIGINS: Annotated[list[str], NoDecode] = Field(default_factory=list)

    DATABASE_URL: str = "postgis://postgres@127.0.0.1:5432/geocases"
    # Seconds to wait for the database: with it down, requests fail fast (503).
    DATABASE_CONNECT_TIMEOUT: int = Field(default=2, ge=1, le=60)
    CELERY_BROKER_URL: str = "redis://127.0.0.1:6379/0"
    # Sessions (and later rate limits): empty means the broker's Redis, database 1.
    CACHE_URL: str = ""
    # What begins every cache key and names the Celery queue, so that two sites
    # sharing one Redis (staging beside production; `make run` beside `make
    # load`) never read each other's cached figures or take each other's
    # tasks. Empty: the database's name.
    REDIS_NAMESPACE: str = Field(default="", pattern=r"^[A-Za-z0-9_.-]{0,60}$")

    TIME_ZONE: str = "Europe/Stockholm"
    LANGUAGE_CODE: Language = Language.SWEDISH

    EMAIL_BACKEND: EmailBackend | None = None  # None: console with DEBUG, SMTP without
    EMAIL_HOST: str = "localhost"
    EMAIL_PORT: int = Field(default=25, ge=1, le=65535)
    EMAIL_HOST_USER: str = ""
    EMAIL_HOST_PASSWORD: SecretStr = SecretStr("")
    EMAIL_USE_TLS: bool = False
    EMAIL_USE_SSL: bool = False
    EMAIL_FILE_PATH: Path = BASE_DIR / ".var" / "mail"
    DEFAULT_FROM_EMAIL: str = "geocases <noreply@localhost>"
    # Seconds a mail server may take to answer before a sending attempt fails.
    EMAIL_TIMEOUT: float = Field(default=30, gt=0, le=600)
    # A notification being sent whose worker vanished (killed mid-send) is
    # sent again after this long; it must exceed any live sending attempt
    # (at least 20 x EMAIL_TIMEOUT).
    OUTBOX_RECLAIM_SECONDS: int = Field(default=600, ge=10, le=86_400)
    SERVER_EMAIL: str = "geocases <root@localhost>"

    STATIC_ROOT: Path = BASE_DIR / ".var" / "static"
    MEDIA_ROOT: Path = BASE_DIR / ".var" / "media"

    # Base map tiles. Empty by default: the city runs on its own servers and the
    # maps still show the district boundaries without any tiles.
    MAP_TILE_URL: str = ""
    MAP_TILE_ATTRIBUTION: str = ""

    LOG_LEVEL: str = "INFO"

    # Limits on what people may submit.
    MAX_PLACE_VERTICES: int = Field(default=1000, ge=4, le=100_000)
    MAX_ATTACHMENT_BYTES: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Photos a citizen may attach to a report.
    MAX_PHOTOS: int = Field(default=3, ge=0, le=20)

    # A case this close to another contract's boundary is flagged for an agent
    # to confirm who is responsible.
    ROUTING_CONFIRM_METERS: float = Field(default=25.0, ge=0, le=5000)
    # Bulk re-routing works this many batches at once, each on its own
    # database connection: about one per core of the database server.
    REROUTE_WORKERS: int = Field(default=2, ge=1, le=16)
    # A citizen may reopen a resolved case from its tracking link this long.
    REOPEN_DAYS: int = Field(default=30, ge=1, le=365)
    # Reminders: when this share of a response target has passed, remind the
    # responsible party; this long (office hours) after a deadline, escalate.
    REMIND_AT_SHARE: float = Field(default=0.75, gt=0, lt=1)
    ESCALATE_AFTER_HOURS: float = Field(default=8, gt=0)
    # The site's address as citizens reach it, for links in e-mails.
    SITE_URL: str = "http://127.0.0.1:8000"
    # Office hours on working days; response targets count only these.
    OFFICE_HOURS: str = "08:00-17:00"
    # E-mail intake: the category of cases made from e-mails (customer
    # service sorts them), the largest message taken, and a Maildir that the
    # worker reads every minute (empty: only `manage.py email_fetch` reads).
    EMAIL_INTAKE_CATEGORY: str = "general-question"
    MAX_EMAIL_BYTES: int = Field(default=30 * 1024 * 1024, ge=1024)
    EMAIL_INTAKE_MAILDIR: str = ""
    # When the daily follow-up goes out on working days (local time).
    FOLLOWUP_TIME: str = "07:00"
    # Address search: the dotted path of a function (query, limit) -> [PlaceHit].
    GEOCODER: str = "geocases.geocoding.selectors.place_search_local"

    # How long a client's Idempotency-Key is remembered (retries come within minutes).
    IDEMPOTENCY_DAYS: int = Field(default=7, ge=1, le=365)
    # Planners' statistics: median and 90th-percentile times are kept this
    # long (the counts beside them are always live); 0 computes them each time.
    STATISTICS_DURATIONS_SECONDS: int = Field(default=600, ge=0, le=86_400)

    # Who the client is: the number of reverse proxies in front of the service
    # that append to X-Forwarded-For (0: the connection's own address).
    TRUSTED_PROXIES: int = Field(default=0, ge=0, le=5)
    # Requests per client address on the public endpoints (staff are not
    # limited), as "count/period" with s, m, h or d, e.g. "30/h" or "5/10m";
    # empty turns that limit off, RATE_LIMITS=false turns them all off.
    RATE_LIMITS: bool = True
    RATE_LIMIT_REPORT: str = "30/h"  # new cases from the public (web, API, Open311)
    RATE_LIMIT_LOOKUP: str = "600/m"  # public reads: map, lists, address search
    RATE_LIMIT_TRACK: str = "30/m"  # tracking links, case look-up by number and e-mail
    RATE_LIMIT_LOGIN: str = "60/m"  # log-in attempts, whatever the user name
    # Open311 service requests per API key, instead of per address: a partner
    # system the city gave a key posts for many people from one address.
    RATE_LIMIT_API_KEY: str = "3000/m"
    # Log-in: this many failed attempts for one user name from one address lock
    # that pair out for this long.
    LOGIN_FAILURE_LIMIT: int = Field(default=5, ge=1, le=100)
    LOGIN_LOCKOUT_MINUTES: int = Field(default=15, ge=1, le=24 * 60)
    # Each worker keeps a logged-in user this long instead of reading it on
    # every request; a change made in another worker applies within it (0: off).
    USER_CACHE_SECONDS: int = Field(default=5, ge=0, le=60)
    # The largest request body taken, files included; bigger ones get 413
    # before they are read (a reverse proxy should refuse them first).
    MAX_REQUEST_BYTES: int = Field(default=40 * 1024 * 1024, ge=64 * 1024)

    # Production transport security (ignored while DEBUG is on). Behind a proxy
    # that ends TLS, name the header it sets, e.g. "HTTP_X_FORWARDED_PROTO".
    SECURE_SSL_REDIRECT: bool = True
    SECURE_PROXY_SSL_HEADER: str = ""
    SECURE_HSTS_SECONDS: int = Field(default=31_536_000, ge=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = True
    SECURE_HSTS_PRELOAD: bool = True

    @field_validator("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator(
        "RATE_LIMIT_REPORT",
        "RATE_LIMIT_LOOKUP",
        "RATE_LIMIT_TRACK",
        "RATE_LIMIT_LOGIN",
        "RATE_LIMIT_API_KEY",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"[1-9][0-9]*/(?:[1-9][0-9]*)?[smhd]", value):
            raise ValueError(f"a rate looks like 30/h or 5/10m (or empty: no limit), not {value!r}")
        return value

    @field_validator("TIME_ZONE")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Stockholm)") from error
        return value

    @field_validator("OFFICE_HOURS")
    @classmethod
    def _office_hours(cls, value: str) -> str:
        import datetime as dt

        try:
            opens, closes = (dt.time.fromisoformat(part.strip()) for part in value.split("-"))
        except ValueError as error:
            raise ValueError(f"office hours must look like 08:00-17:00, not {value!r}") from error
        if opens >= closes:
            raise ValueError(f"office hours must open before they close: {value!r}")
        return value

    @field_validator("FOLLOWUP_TIME")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        import datetime as dt

        try:
            dt.time.fromisoformat(value.strip())
        except ValueError as error:
            raise ValueError(f"a time of day looks like 07:00, not {value!r}") from error
        return value.strip()

    @field_validator("DATABASE_URL")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if scheme not in {"postgis", "postgres", "postgresql", "pgsql"}:
            raise ValueError(
                f"geocases needs PostgreSQL with PostGIS; got a {scheme!r} URL "
                "(use postgis://user:password@host:5432/name)"
            )
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Environment:
        if self.EMAIL_USE_TLS and self.EMAIL_USE_SSL:
            raise ValueError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
        # A send is some ten exchanges with the mail server, each allowed
        # EMAIL_TIMEOUT; recording it may take half the reclaim time.
        if self.OUTBOX_RECLAIM_SECONDS < 20 * self.EMAIL_TIMEOUT:
            raise ValueError(
                "OUTBOX_RECLAIM_SECONDS must be at least 20 x EMAIL_TIMEOUT: a notification "
                "still being sent would otherwise be sent a second time"
            )
        if not self.DEBUG:
            key = self.SECRET_KEY.get_secret_value() if self.SECRET_KEY else ""
            if len(key) < 50 or key.startswith("django-insecure"):
                raise ValueError(
                    "SECRET_KEY must be set to a random value of at least 50 characters "
                    "when DEBUG is off (generate one with: python -c "
                    "'import secrets; print(secrets.token_urlsafe(64))')"
                )
        return self

    @property
    def secret_key(self) -> str:
        if self.SECRET_KEY is not None:
            return self.SECRET_KEY.get_secret_value()
        return DEVELOPMENT_SECRET_KEY

    @property
    def email_backend(self) -> str:
        backend = self.EMAIL_BACKEND or (EmailBackend.CONSOLE if self.DEBUG else EmailBackend.SMTP)
        return f"django.core.mail.backends.{backend.module}.EmailBackend"


def environment_file() -> Path:
    """The checkout's own environment, written by ``scripts/services.sh`` (the
    database, broker and secret key ``make run`` set up): read after the real
    environment, so ``manage.py`` works in the checkout without sourcing
    anything. ``GEOCASES_ENV_FILE`` names another file; a missing one is skipped."""
    return Path(os.environ.get("GEOCASES_ENV_FILE", BASE_DIR / ".var" / "env"))


def environment_load() -> Environment:
    """Read and validate the environment; raise one readable error if it is wrong."""
    from pydantic import ValidationError

    try:
        return Environment(_env_file=environment_file())
    except ValidationError as error:
        problems = "; ".join(_describe(item) for item in error.errors())
        raise ConfigurationError(f"geocases cannot start: {problems}") from None


def _describe(problem: dict) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    name = ".".join(str(part) for part in problem["loc"])
    return f"{name}: {message}" if name else message
