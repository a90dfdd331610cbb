"""Sessions read from the cache (Redis) and kept in the database: Django's
``cached_db``, with every cache call guarded, so that with Redis down a
request costs a database query instead of failing (Django guards only some
of them)."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("django.contrib.sessions")


class _GuardedCache:
    """The cache, with errors logged and answered as a miss."""

    def __init__(self, cache):
        self._cache = cache

    def _guard(self, name, *args, default=None, **kwargs):
        try:
            return getattr(self._cache, name)(*args, **kwargs)
        except Exception:
            logger.warning("session cache unavailable (%s); using the database", name)
            return default

    def get(self, *args, **kwargs):
        return self._guard("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guard("set", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", *args, **kwargs)

    def __contains__(self, key) -> bool:
        return bool(self._guard("has_key", key, default=False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _GuardedCache(self._cache)
