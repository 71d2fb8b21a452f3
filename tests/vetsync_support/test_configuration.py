"""Configuration from the environment and production defaults. (Security headers, hosts and
`check --deploy`: tests/security/test_v3_v13_headers_configuration.py.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.conftest import ALL_DATABASES

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-like-secret-key-of-sufficient-length-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "soporte.vetsync.cl",
    "DEBUG": "false",
    "EMAIL_URL": "smtp+tls://soporte:clave@smtp.vetsync.cl:587",
    "PORTAL_BASE_URL": "https://soporte.vetsync.cl",
}


def run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DEBUG",
            "SECRET_KEY",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "ALLOWED_HOSTS",
            "EMAIL_URL",
            "PORTAL_BASE_URL",
        )
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "vetsync_support.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_secret_key_stops_start_up_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_defaults_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "__Host-vetsync_session",
        "__Host-vetsync_csrf",
    ]


def test_secure_flags_can_be_turned_off_for_plain_http_on_loopback():
    env = {
        **PRODUCTION_ENV,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=env)
    assert result.stdout.split() == ["False", "False", "vetsync_session"]


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, ["True", "5"]), ("false", ["None", "None"])]
)
def test_postgresql_prepares_statements_unless_turned_off(setting, expected):
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://portal@db.internal:5432/soporte"}
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=env)
    assert result.stdout.split() == expected, result.stderr


def test_locale_timezone_and_date_format(settings):
    from datetime import UTC, datetime

    from django.utils import formats, timezone, translation

    assert settings.LANGUAGE_CODE == "es-cl"
    assert settings.TIME_ZONE == "America/Santiago"
    moment = datetime(2026, 3, 23, 13, 30, tzinfo=UTC)
    with translation.override("es-cl"):
        shown = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    assert shown == "23-03-2026 10:30"


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_plain_http_is_redirected_to_https_in_production(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get("/soporte/login")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_check_deploy_warns_when_e_mail_links_would_point_to_loopback():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_BASE_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "vetsync.W001" in result.stderr + result.stdout


def test_a_gunicorn_worker_freezes_what_it_loaded_out_of_the_collectors_reach():
    import gc
    import runpy

    hooks = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
