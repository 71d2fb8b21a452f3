"""A failed login takes the same time whoever the RUT or username belongs to. Its one answer's
time would still differ by the hash checked (or not): about 0.46 s for Django's PBKDF2, 0.16 s
for argon2, 0.06 s for a PHP bcrypt of cost 10. So a failed attempt that reached the backends is
answered no sooner than the floor, by a sleep costing no CPU (docs/SECURITY.md, "Login timing")."""

import functools
import math
import time

from django.conf import settings

from accounts.passwords import check_costs

# A kind's checks vary by a few percent on a quiet machine and by more under load: the margin
# keeps a real check, and the rest of its request, inside the floor.
FLOOR_MARGIN = 1.25
# Past LOGIN_FAILURE_SECONDS the floor rises in steps of a fixed ratio (…, 0.84, 1, 1.19, 1.41 s…),
# so that workers whose averages differ by a little on a busy machine still answer alike.
FLOOR_STEP_RATIO = 2**0.25

FAILED_ATTEMPT_ATTRIBUTE = "login_attempt_failed"


def note_failed_login(sender, credentials=None, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver: authenticate() tried these credentials and failed
    (the axes lockout included). Connected in AccountsConfig.ready()."""
    if request is not None:
        setattr(request, FAILED_ATTEMPT_ATTRIBUTE, True)


def failed_login_floor() -> float:
    needed = FLOOR_MARGIN * check_costs.slowest()
    if needed <= settings.LOGIN_FAILURE_SECONDS:
        return settings.LOGIN_FAILURE_SECONDS
    return FLOOR_STEP_RATIO ** math.ceil(math.log(needed, FLOOR_STEP_RATIO))


def uniform_failure_time(view):
    """Hold a login view's answer to the floor when the attempt failed; form errors that never
    reach authenticate() (a malformed RUT, an empty field) are answered at once."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        started = time.perf_counter()
        response = view(request, *args, **kwargs)
        if getattr(request, FAILED_ATTEMPT_ATTRIBUTE, False):
            remaining = started + failed_login_floor() - time.perf_counter()
            if remaining > 0:
                time.sleep(remaining)
        return response

    return wrapper
