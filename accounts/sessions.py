"""Session lifetime: an absolute limit from login and an idle limit between requests."""

import time

from django.conf import settings

LOGIN_AT_KEY = "portal_login_at"
LAST_SEEN_KEY = "portal_last_seen"
# The idle clock is written at most this often, so that reads do not each write the session.
LAST_SEEN_RESOLUTION = 60


def start_portal_session(request) -> None:
    now = int(time.time())
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def session_has_expired(request) -> bool:
    """True when the session passed its absolute or idle limit; otherwise refresh the clock."""
    now = int(time.time())
    session = request.session
    login_at, last_seen = session.get(LOGIN_AT_KEY), session.get(LAST_SEEN_KEY)
    if login_at is None or last_seen is None:
        start_portal_session(request)
        return False
    idle = now - last_seen
    if now - login_at > settings.SESSION_COOKIE_AGE or idle > settings.SESSION_IDLE_TIMEOUT:
        return True
    if idle >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_KEY] = now
    return False
