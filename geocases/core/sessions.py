"""Sessions read from the cache (Redis) and kept in the database: Django's
``cached_db``, with every cache call guarded, so that with Redis down a
request costs a database query instead of failing (Django guards only some
of them)."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from geocases.core.cache import GuardedCache


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = GuardedCache(self._cache, "session")
