"""Checking a typed password against the hash VetSync stores, exactly as typed.

VetSync stores Django's encoded hashes (``pbkdf2_sha256$…``, ``argon2$…``,
``bcrypt_sha256$…``) or a bare bcrypt hash (``$2a$``/``$2b$``/``$2y$…``) as written by
PHP and other bcrypt libraries. The hash is only read, never copied or upgraded.
"""

import functools

import bcrypt
from django.contrib.auth.hashers import check_password, get_hasher, make_password

BARE_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
BCRYPT_MAX_BYTES = 72  # bcrypt only ever reads the first 72 bytes of a password


def verify_vetsync_password(raw_password: str, encoded: str | None) -> bool:
    if not raw_password or not encoded:
        # Keep the time of a failed check close to that of a real one.
        run_dummy_hash(raw_password or "")
        return False
    if encoded.startswith(BARE_BCRYPT_PREFIXES):
        return _check_bare_bcrypt(raw_password, encoded)
    try:
        # setter=None: a successful check never rewrites VetSync's hash.
        return check_password(raw_password, encoded, setter=None)
    except ValueError:
        return False


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
    """Spend the time of one real check, for callers whose account does not exist."""
    algorithm = get_hasher("default").algorithm
    check_password(raw_password, _dummy_hash(algorithm), setter=None)
