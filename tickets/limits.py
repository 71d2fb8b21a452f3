"""How long a clinic's texts may be, and how many additions a ticket takes: the forms show these
limits and the services enforce them."""

from django.utils.translation import gettext_lazy as _

DETAIL_MIN_LENGTH = 30
DETAIL_MAX_LENGTH = 10_000
ADDITION_MAX_LENGTH = 5_000
SEARCH_MAX_LENGTH = 100
# A ticket's page lists every addition: past this many, a new ticket carries the case on.
MAX_ADDITIONS = 30

ADDITION_TOO_LONG = _(
    "La información agregada a un ticket no puede superar los %(limit)d caracteres (tiene "
    "%(length)d). Acórtela o envíela como un ticket nuevo."
)


def addition_too_long(text: str) -> str | None:
    """Why ``text`` cannot be added to a ticket for its length, or None."""
    if len(text) <= ADDITION_MAX_LENGTH:
        return None
    return str(ADDITION_TOO_LONG % {"limit": ADDITION_MAX_LENGTH, "length": len(text)})
