"""A Redis cache that keeps answering while Redis does not.

allauth counts sign-in rate limits in the default cache, so with Django's plain
RedisCache a Redis outage turns every sign-in into a 500. This backend is
Django's RedisCache with a way out: when Redis cannot be reached it logs once,
serves from this process's memory, and asks Redis again only every few seconds,
so a request waits on at most one short timeout, not one per cache call.

    CACHES = {"default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://host:6379/0",
        "OPTIONS": {"socket_timeout": 0.5, "FALLBACK_RETRY_AFTER": 5},
    }}

While Redis is down each process counts on its own: rate limits still hold per
process, a little looser across processes, and cached values are not shared.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from urllib.parse import urlparse

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Errors that mean "Redis is not there", as opposed to a bad command or value.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_RETRY_AFTER = 5.0  # seconds between attempts to reach Redis again
# Short timeouts and no retries: the fallback is the retry. redis-py's own
# retries would multiply the wait of every request during an outage.
DEFAULT_REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _redacted(location: str) -> str:
    """host:port/db for the log, never the password a URL may carry."""
    parts = [urlparse(url.strip()) for url in location.split(",")]
    return ",".join(f"{p.hostname}:{p.port or 6379}{p.path}" for p in parts)


class _Outage:
    """Whether Redis at one location is known to be down. Django keeps one cache
    object per thread, so this state lives at module level: one per process."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self.down_until: float | None = None
        self.lock = threading.Lock()

    def may_try_redis(self) -> bool:
        if self.down_until is None:
            return True
        with self.lock:
            if self.down_until is None:
                return True
            now = time.monotonic()
            if now < self.down_until:
                return False
            # This caller probes Redis; the others keep using memory until it
            # has an answer, so only one request pays for a timeout.
            self.down_until = now + self.retry_after
            return True

    def went_down(self) -> bool:
        """Mark Redis down; True if it was up until now (log only then)."""
        with self.lock:
            was_up = self.down_until is None
            self.down_until = time.monotonic() + self.retry_after
            return was_up

    def came_back(self) -> bool:
        """Mark Redis up; True if it was down until now."""
        if self.down_until is None:
            return False
        with self.lock:
            was_down = self.down_until is not None
            self.down_until = None
            return was_down


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str, retry_after: float) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage(retry_after))


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that falls back to local memory while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("FALLBACK_RETRY_AFTER", DEFAULT_RETRY_AFTER))
        options = {**DEFAULT_REDIS_OPTIONS, "retry": Retry(NoBackoff(), 0), **options}
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = _redacted(server)
        self._outage = _outage_for(server, retry_after)
        # The same name in every thread: LocMemCache shares storage by name.
        memory_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._memory = LocMemCache(f"redis-fallback:{server}", memory_params)

    def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._outage.may_try_redis():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                if self._outage.went_down():
                    logger.warning(
                        "Redis cache at %s is unreachable (%s); this process uses its own "
                        "memory until Redis answers again (checked every %g s).",
                        self._location,
                        error,
                        self._outage.retry_after,
                    )
            else:
                if self._outage.came_back():
                    logger.warning("Redis cache at %s answers again.", self._location)
                    # Values written during the outage would resurface in the next one.
                    self._memory.clear()
                return result
        return getattr(self._memory, name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._run("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        return self._run("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._run("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._run("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._run("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._run("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return self._run("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return self._run("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return self._run("delete_many", *args, **kwargs)

    def clear(self) -> None:
        return self._run("clear")
