"""The shared cache (Redis) for what can do without it: every call guarded,
an error logged and answered as a miss, so a Redis outage costs speed (a
database query, a computation), never a request."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class GuardedCache:
    def __init__(self, cache, purpose: str):
        self._cache = cache
        self._purpose = purpose  # said in the warning: "session", "statistics"…

    def _guard(self, name, *args, default=None, **kwargs):
        try:
            return getattr(self._cache, name)(*args, **kwargs)
        except Exception:
            logger.warning("%s cache unavailable (%s); doing without", self._purpose, name)
            return default

    def get(self, *args, **kwargs):
        return self._guard("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guard("set", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", *args, **kwargs)

    def __contains__(self, key) -> bool:
        return bool(self._guard("has_key", key, default=False))
