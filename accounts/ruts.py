"""Chilean RUTs: parsing and formatting on top of python-stdnum (no hand-written módulo 11)."""

from stdnum.cl import rut as stdnum_rut
from stdnum.exceptions import ValidationError

MAX_RUT_INPUT_LENGTH = 20


class InvalidRut(ValueError):
    """The text is not a valid RUT (format or check digit)."""


def normalize_rut(value: str) -> str:
    """The contract's normalized form, ``76123456-0``, or :class:`InvalidRut`. Accepts dots, a
    hyphen or none, a lower-case ``k`` and surrounding spaces."""
    if not isinstance(value, str) or len(value) > MAX_RUT_INPUT_LENGTH or "\x00" in value:
        raise InvalidRut(value)
    try:
        compact = stdnum_rut.validate(value.strip())
    except (ValidationError, ValueError, IndexError) as exc:
        raise InvalidRut(value) from exc
    number = compact[:-1].lstrip("0")
    normalized = f"{number}-{compact[-1]}"
    # stdnum counts leading zeros in its length check: "0123456-0" passes it, while the RUT it
    # stands for, 123456-0, does not. Only what stdnum accepts once normalized is a RUT, so
    # that a normalized or formatted RUT normalizes again (tests/properties/test_rut_parser.py).
    if not number or not stdnum_rut.is_valid(normalized):
        raise InvalidRut(value)
    return normalized


def format_rut(normalized: str) -> str:
    """Format a normalized RUT for people: ``76.123.456-0``."""
    return stdnum_rut.format(normalized) if normalized else ""
