"""VetSync's hashes: Django's encoded forms and bare bcrypt, checked exactly as typed."""

import bcrypt
import pytest
from django.contrib.auth.hashers import make_password

from accounts.passwords import verify_vetsync_password

PASSWORD = "Clave.VetSync-2026"


@pytest.mark.parametrize("hasher", ["pbkdf2_sha256", "argon2", "bcrypt_sha256", "md5"])
def test_django_encoded_hashes(hasher):
    encoded = make_password(PASSWORD, hasher=hasher)
    assert encoded.startswith(hasher)
    assert verify_vetsync_password(PASSWORD, encoded)
    assert not verify_vetsync_password(PASSWORD + "x", encoded)
    assert not verify_vetsync_password(PASSWORD.upper(), encoded)


@pytest.mark.parametrize("prefix", ["$2a$", "$2b$", "$2y$"])
def test_bare_bcrypt_hashes(prefix):
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    encoded = prefix + hashed[4:]
    assert verify_vetsync_password(PASSWORD, encoded)
    assert not verify_vetsync_password("otra", encoded)


def test_bare_bcrypt_with_a_password_longer_than_72_bytes_does_not_crash():
    long_password = "ñ" * 60  # 120 bytes
    hashed = bcrypt.hashpw(long_password.encode()[:72], bcrypt.gensalt(rounds=4)).decode()
    assert verify_vetsync_password(long_password, hashed)


def test_passwords_are_not_stripped():
    encoded = make_password(" clave con espacios ", hasher="pbkdf2_sha256")
    assert verify_vetsync_password(" clave con espacios ", encoded)
    assert not verify_vetsync_password("clave con espacios", encoded)


@pytest.mark.parametrize(
    "encoded", ["", None, "!unusable", "texto-plano", "$2y$roto", "pbkdf2_sha256$x"]
)
def test_unusable_or_broken_hashes_never_match(encoded):
    assert not verify_vetsync_password(PASSWORD, encoded)


def test_a_plain_text_column_is_not_a_password():
    assert not verify_vetsync_password("texto-plano", "texto-plano")
