"""What the Open311 services and selectors refuse, by kind.

GeoReport v2 tells clients apart three kinds of refusal (403 for the key,
404 for something that does not exist, 400 for everything else); each has
its own class here, and the HTTP layer (``api/open311``) maps them.
Everything else a user did wrong is a plain ``ApplicationError``.
"""

from geocases.core.errors import ApplicationError


class ApiKeyRefused(ApplicationError):
    """The ``api_key`` is missing, unknown or withdrawn."""


class NotFound(ApplicationError):
    """A service code, request or token that does not exist (for Open311)."""
