"""Login lockout on top of django-axes, keyed on the normalized clinic and user RUTs (every way
of writing a RUT is one account; made-up accounts count like real ones). A much higher limit
per address slows a password spray without locking out a whole clinic behind one router."""

import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.utils import timezone

from accounts.ruts import InvalidRut, normalize_rut
from vetsync_support.logging import log_event
from vetsync_support.rendering import render_page

logger = logging.getLogger("vetsync.auth")

MAX_USERNAME_LENGTH = 200


def _normalized_or_raw(value: str) -> str:
    try:
        return normalize_rut(value)
    except InvalidRut:
        return value.strip().upper()[:20]


def axes_username(request, credentials) -> str | None:
    """The key axes counts failures against."""
    credentials = credentials or {}
    posted = request.POST if request is not None else {}
    ruts = (credentials.get("clinic_rut"), credentials.get("user_rut"))
    if None in ruts and posted.get("clinic_rut") is not None:
        ruts = (posted.get("clinic_rut"), posted.get("user_rut", ""))
    if None not in ruts:
        return ":".join(_normalized_or_raw(str(rut)) for rut in ruts)
    username = credentials.get("username")
    if username is None:
        username = posted.get("username")
    return None if username is None else f"admin:{str(username)[:MAX_USERNAME_LENGTH]}"


def lockout_response(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"cooloff_minutes": seconds // 60}
    response = render_page(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """Lockouts are logged like every other refused login (connected in AccountsConfig.ready)."""
    log_event(logger, "login.locked_out", level=logging.WARNING, account=username, ip=ip_address)


def address_is_throttled(ip_address: str | None) -> bool:
    """Has this address failed too many logins, for any accounts, in the cool-off window?"""
    if not settings.AXES_ENABLED or not ip_address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.LOGIN_IP_FAILURE_LIMIT


# A browser where an account logged in carries a signed "known device" cookie (OWASP's device
# cookies): that account still logs in from it while its address is slowed by a password spray,
# so one careless or hostile machine behind a clinic's router does not lock out the clinic.
KNOWN_DEVICE_COOKIE = "vetsync_device"
KNOWN_DEVICE_SALT = "accounts.lockout.known-device"
KNOWN_DEVICE_MAX_AGE = 90 * 24 * 3600


def _known_accounts(request) -> list[str]:
    cookie = request.COOKIES.get(KNOWN_DEVICE_COOKIE, "")
    try:
        value = signing.loads(cookie, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return []
    return [key for key in value if isinstance(key, str)] if isinstance(value, list) else []


def is_known_device(request, account_key: str | None) -> bool:
    return bool(account_key) and account_key in _known_accounts(request)


def remember_device(request, response, account_key: str) -> None:
    known = [account_key, *[k for k in _known_accounts(request) if k != account_key]][:10]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.dumps(known, salt=KNOWN_DEVICE_SALT),
        max_age=KNOWN_DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
