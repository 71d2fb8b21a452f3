"""Checking a typed password, exactly as typed, against the hash VetSync stores: Django's or a
bare bcrypt one as PHP writes it (``$2y$…``), only read, never copied or upgraded. Each check is
timed per kind of hash, for the floor of a failed login (accounts/login_timing.py)."""

import functools
import threading
import time

import bcrypt
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password

BARE_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
BCRYPT_MAX_BYTES = 72  # bcrypt only ever reads the first 72 bytes of a password

# Each kind's cost is a moving average of its checks' times, so that one stalled check
# (a pause of the machine) fades instead of slowing every failed login for good.
COST_AVERAGE_WEIGHT = 0.25
MAX_COST_KINDS = 64  # VetSync holds a handful of kinds; past this, the rest share one entry


def verify_vetsync_password(raw_password: str, encoded: str | None) -> bool:
    if not raw_password or not encoded:
        # Keep the time of a failed check close to that of a real one.
        run_dummy_hash(raw_password or "")
        return False
    started = time.perf_counter()
    try:
        if encoded.startswith(BARE_BCRYPT_PREFIXES):
            return _check_bare_bcrypt(raw_password, encoded)
        try:
            # setter=None: a successful check never rewrites VetSync's hash.
            return check_password(raw_password, encoded, setter=None)
        except ValueError:
            return False
    finally:
        check_costs.record(hash_kind(encoded), time.perf_counter() - started)


def _check_bare_bcrypt(raw_password: str, encoded: str) -> bool:
    # PHP's $2y$ is the same algorithm as $2b$; the bcrypt package speaks $2b$.
    normalized = "$2b$" + encoded[4:]
    candidate = raw_password.encode("utf-8")[:BCRYPT_MAX_BYTES]
    try:
        return bcrypt.checkpw(candidate, normalized.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


@functools.cache
def _dummy_hash(algorithm: str) -> str:
    return make_password("vetsync-dummy-password", hasher=algorithm)


def run_dummy_hash(raw_password: str) -> None:
    """Spend the CPU of one check of Django's default hasher, for callers without an account."""
    encoded = _dummy_hash(get_hasher("default").algorithm)
    started = time.perf_counter()
    check_password(raw_password, encoded, setter=None)
    check_costs.record(hash_kind(encoded), time.perf_counter() - started)


def hash_kind(encoded: str) -> str:
    """The algorithm and cost of a hash, without its salt or digest: ``bcrypt$10``,
    ``pbkdf2_sha256$iterations=1500000``, ``argon2$memory_cost=102400,parallelism=8,…``."""
    if encoded.startswith(BARE_BCRYPT_PREFIXES):
        return "bcrypt$" + encoded[4:6]
    try:
        hasher = identify_hasher(encoded)
        decoded = hasher.decode(encoded)
    except (ValueError, TypeError, IndexError, KeyError):
        return "unreadable"
    # The cost parameters are the decoded hash's numbers (iterations, memory, work factor…).
    costs = sorted(
        f"{name}={value}"
        for name, value in decoded.items()
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    )
    return f"{hasher.algorithm}${','.join(costs)}"


class CheckCosts:
    """This process's average check time per kind of hash (thread-safe)."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    def record(self, kind: str, seconds: float) -> None:
        with self._lock:
            if kind not in self._seconds and len(self._seconds) >= MAX_COST_KINDS:
                kind = "other"
            previous = self._seconds.get(kind, seconds)
            self._seconds[kind] = previous + COST_AVERAGE_WEIGHT * (seconds - previous)

    def slowest(self) -> float:
        """The average time of the slowest kind of hash checked in this process (0 before any)."""
        with self._lock:
            return max(self._seconds.values(), default=0.0)

    def clear(self) -> None:
        with self._lock:
            self._seconds.clear()


check_costs = CheckCosts()


def prepare_dummy_hash() -> None:
    """Compute the dummy hash ahead of the first request (gunicorn.conf.py), so that the first
    unknown account a worker sees costs one hash like every other, not two."""
    _dummy_hash(get_hasher("default").algorithm)
