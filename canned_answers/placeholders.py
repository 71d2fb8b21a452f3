"""The placeholders of a canned answer's text: which ones exist, how a text is checked, and how
it is filled in for a ticket.

Filling in never calls ``str.format`` (or any template engine) on the agents' text: a
``{codigo.__class__}`` or ``{0}`` is refused when the answer is saved, and a text that somehow
holds one is left as it is. Each of the four names is replaced in one pass, so a value that
itself reads ``{agente}`` (a clinic's name, say) stays literal."""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from accounts.models import User
    from tickets.models import Ticket

PLACEHOLDERS = ("clinica", "solicitante", "codigo", "agente")

# A brace pair with no brace inside: a placeholder, known or not.
_BRACED = re.compile(r"\{([^{}]*)\}")
_KNOWN = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def placeholder_list() -> str:
    """``{clinica}, {solicitante}, {codigo} o {agente}``, for messages and help texts."""
    names = [f"{{{name}}}" for name in PLACEHOLDERS]
    return _("%(names)s o %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def validate_placeholders(text: str) -> None:
    """Refuse unknown placeholders and braces that open or close nothing, in Spanish."""
    errors = []
    unknown = []
    for match in _BRACED.finditer(text):
        if match.group(1) not in PLACEHOLDERS and match.group(0) not in unknown:
            unknown.append(match.group(0))
    for placeholder in unknown:
        errors.append(
            ValidationError(
                _("Marcador desconocido: %(placeholder)s. Use %(known)s."),
                code="unknown_placeholder",
                params={"placeholder": placeholder, "known": placeholder_list()},
            )
        )
    rest = _BRACED.sub("", text)
    if "{" in rest or "}" in rest:
        errors.append(
            ValidationError(
                _(
                    "Hay una llave «{» o «}» sin su pareja. Las llaves solo se usan en los "
                    "marcadores: %(known)s."
                ),
                code="unbalanced_braces",
                params={"known": placeholder_list()},
            )
        )
    if errors:
        raise ValidationError(errors)


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """The text with each of the four placeholders replaced by its value; nothing else changes."""
    return _KNOWN.sub(lambda match: values[match.group(1)], text)


def ticket_values(*, ticket: "Ticket", agent: "User") -> dict[str, str]:
    """What the placeholders read on ``ticket`` for ``agent`` (the ticket comes with its clinic
    and requester, as the admin's ticket page loads it)."""
    return {
        "clinica": ticket.clinic.name,
        "solicitante": ticket.requester.display_name,  # accounts.models.person_display_name
        "codigo": ticket.code,
        "agente": agent.display_name,
    }
