"""Chilean RUTs: parsing and formatting on top of python-stdnum (no hand-written módulo 11)."""

from stdnum.cl import rut as stdnum_rut
from stdnum.exceptions import ValidationError

MAX_RUT_INPUT_LENGTH = 20


class InvalidRut(ValueError):
    """The text is not a valid RUT (format or check digit)."""


def normalize_rut(value: str) -> str:
    """Return the contract's normalized form, ``76123456-0``, or raise :class:`InvalidRut`.

    Accepts dots, a hyphen or none, a lower-case ``k`` and surrounding spaces.
    """
    if not isinstance(value, str) or len(value) > MAX_RUT_INPUT_LENGTH or "\x00" in value:
        raise InvalidRut(value)
    try:
        compact = stdnum_rut.validate(value.strip())
    except (ValidationError, ValueError, IndexError) as exc:
        raise InvalidRut(value) from exc
    if not compact[:-1].lstrip("0"):
        raise InvalidRut(value)
    return f"{compact[:-1].lstrip('0')}-{compact[-1]}"


def format_rut(normalized: str) -> str:
    """Format a normalized RUT for people: ``76.123.456-0``."""
    if not normalized:
        return ""
    return stdnum_rut.format(normalized)
