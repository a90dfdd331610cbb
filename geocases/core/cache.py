"""The shared cache (Redis): its backend, and a guard for what can do without
it: every call guarded, an error logged and answered as a miss, so a Redis
outage costs speed (a database query, a computation), never a request."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

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

    def keep(self, key, value, timeout: float) -> bool:
        """``set``, saying whether the value was kept (False: Redis is
        unavailable, and the caller should say so or do without)."""
        return self._guard("set", key, value, timeout, default=False) is not False

    def delete(self, *args, **kwargs):
        return self._guard("delete", *args, **kwargs)

    def __contains__(self, key) -> bool:
        return bool(self._guard("has_key", key, default=False))


class _ReusingClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every call (redis-py
    fills a table of some 170 reply handlers each time: about a fifth of a
    millisecond, on every request that reads its session). One per
    connection pool does: a ``redis.Redis`` is safe to share between
    threads, and its pool starts afresh in a forked process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, with its ``redis.Redis`` clients reused."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
