"""The placeholders of a canned answer's text: which exist, the check, and the filling in.
Never ``str.format`` on the agents' text: ``{codigo.__class__}`` is refused when saved and left
as it is when filled; one pass replaces all four, so a value reading ``{agente}`` stays literal."""

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
    unknown = dict.fromkeys(m[0] for m in _BRACED.finditer(text) if m[1] not in PLACEHOLDERS)
    errors = [
        ValidationError(
            _("Marcador desconocido: %(placeholder)s. Use %(known)s."),
            code="unknown_placeholder",
            params={"placeholder": placeholder, "known": placeholder_list()},
        )
        for placeholder in unknown
    ]
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
    """What the placeholders read on ``ticket`` (with its clinic and requester) for ``agent``."""
    return {
        "clinica": ticket.clinic.name,
        "solicitante": ticket.requester.display_name,  # accounts.models.person_display_name
        "codigo": ticket.code,
        "agente": agent.display_name,
    }
