"""Values kept a while in Django's cache (Redis in production, settings.CACHES)."""

from collections.abc import Callable

from django.core.cache import cache


def kept[T](key: str, seconds: int, compute: Callable[[], T]) -> T:
    """compute()'s value, read from the cache when it was computed in the last ``seconds``
    (0: computed every time). A cache that cannot be reached (Redis stopped; the settings
    ignore its errors) is a miss, never an error. ``compute`` must not return None, which
    reads as a miss: cache a sentinel instead."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
