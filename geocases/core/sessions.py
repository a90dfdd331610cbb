"""Sessions read from the cache (Redis) and kept in the database: Django's
``cached_db``, with every cache call guarded, so that with Redis down a
request costs a database query instead of failing (Django guards only some
of them). A session is kept in the cache five minutes at most: a log-out
while Redis was unreachable deletes the database row but cannot delete
the cached copy, which would otherwise log that cookie in again for the
session's whole age once Redis is back with its data."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from geocases.core.cache import GuardedCache

CACHED_SECONDS = 300


class _BriefCache(GuardedCache):
    def set(self, key, value, timeout=None, *args, **kwargs):
        timeout = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        return super().set(key, value, timeout, *args, **kwargs)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _BriefCache(self._cache, "session")
