"""Issue 7: app servers keep no state; with CACHE_URL sessions use Redis in front of the
database (cached_db), so any app server behind the load balancer serves any clinic."""

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from tests.conftest import ALL_DATABASES, login_data

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "vetsync-tests",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
    }
}
# What settings.py makes of a CACHE_URL, with no Redis listening at that address.
REDIS_DOWN = {"default": {**REDIS["default"], "LOCATION": "redis://127.0.0.1:9/15"}}


def test_cache_url_selects_redis_and_cached_db_sessions():
    from tests.vetsync_support.test_configuration import PRODUCTION_ENV, run_manage

    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE,"
        "s.CACHES['default']['OPTIONS']['IGNORE_EXCEPTIONS'])"
    )
    env = {**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/1"}
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=env)
    assert result.stdout.split() == [
        "django_redis.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "True",
    ], result.stderr


@override_settings(CACHES=REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_session_started_on_one_server_is_valid_on_another(user_a):
    """Two clients stand for two app servers: the second reads the session from Redis."""
    first = Client()
    assert first.post("/soporte/login", login_data(user_a)).status_code == 302
    cookie = first.cookies
    second = Client()
    second.cookies = cookie
    assert second.get("/soporte/").status_code == 200
    key = cookie["__Host-vetsync_session"].value
    assert caches["default"].get(f"django.contrib.sessions.cached_db{key}") is not None
    second.post("/soporte/logout")
    assert first.get("/soporte/").status_code == 302


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_with_redis_down_sessions_live_in_the_database_and_nobody_is_logged_out(user_a):
    with override_settings(CACHES=REDIS):
        client = Client()
        assert client.post("/soporte/login", login_data(user_a)).status_code == 302
        assert client.get("/soporte/").status_code == 200
    with override_settings(CACHES=REDIS_DOWN):
        caches.close_all()
        assert client.get("/soporte/").status_code == 200  # the session, from the database
        assert client.get("/soporte/tickets/nuevo").status_code == 200
        other = Client()
        assert other.post("/soporte/login", login_data(user_a)).status_code == 302
        assert other.get("/soporte/").status_code == 200
    with override_settings(CACHES=REDIS):  # Redis is back
        caches.close_all()
        assert client.get("/soporte/").status_code == 200
        assert other.get("/soporte/").status_code == 200
