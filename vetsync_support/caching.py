"""Values kept a while in Django's cache (Redis in production, settings.CACHES)."""

from collections.abc import Callable

from django.core.cache import cache


def kept[T](key: str, seconds: int, compute: Callable[[], T]) -> T:
    """compute()'s value, from the cache when computed in the last ``seconds`` (0: every time);
    an unreachable cache is a miss. ``compute`` must not return None, which reads as a miss."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
