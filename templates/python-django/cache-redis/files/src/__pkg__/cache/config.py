"""The cache's settings, read from the environment; settings.py imports CACHES from here.

REDIS_URL takes the forms redis-py reads (`redis://`, `rediss://` for TLS, with its TLS
options as query parameters, such as `?ssl_ca_data=` for a private CA).
"""

from typing import Any

import environ

env = environ.Env()

REDIS_URL = env.str("REDIS_URL", default="")
TIMEOUT = env.int("CACHE_TTL_SECONDS", default=300)
# Lets several apps share one Redis without reading each other's entries.
KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default=__name__.split(".")[0])

CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": TIMEOUT,
            "KEY_PREFIX": KEY_PREFIX,
            # Short: a slow cache must not make requests slower than the database.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {
            # The zero-service default: each process keeps its own bounded cache.
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": TIMEOUT,
            "KEY_PREFIX": KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 1024},
        }
    ),
}
