"""The guide's areas and states, and the one table of allowed moves between states."""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    SOPORTE = "soporte", _("Soporte")
    COMERCIAL = "comercial", _("Comercial")


class State(models.TextChoices):
    ABIERTO = "abierto", _("Abierto")
    EN_PROCESO = "en_proceso", _("En proceso")
    CERRADO_RESUELTO = "cerrado_resuelto", _("Cerrado / resuelto")
    CERRADO_CON_PROBLEMA = "cerrado_con_problema", _("Cerrado / con problema")
    CERRADO_RESPONSABILIDAD_CLIENTE = (
        "cerrado_responsabilidad_cliente",
        _("Cerrado / responsabilidad cliente"),
    )


CLOSED_STATES = frozenset(
    {State.CERRADO_RESUELTO, State.CERRADO_CON_PROBLEMA, State.CERRADO_RESPONSABILIDAD_CLIENTE}
)
# Open: the team still works on it (guide §6: Abierto or En proceso). The one definition; the
# queues, counts, due times and reports all ask here (tickets.models.OPEN_VISIBLE as a filter).
OPEN_STATES = (State.ABIERTO, State.EN_PROCESO)

# Every allowed move, and only these. A closed ticket may be reopened to "En proceso" by an agent.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.ABIERTO: frozenset({State.EN_PROCESO, *CLOSED_STATES}),
    State.EN_PROCESO: frozenset(CLOSED_STATES),
    **dict.fromkeys(CLOSED_STATES, frozenset({State.EN_PROCESO})),
}

# What the guide says each state means (guide §6), shown to the clinic.
STATE_MEANINGS = {
    State.ABIERTO: _("El ticket fue recibido y está pendiente de revisión"),
    State.EN_PROCESO: _("El equipo ya lo está revisando"),
    State.CERRADO_RESUELTO: _("El equipo entregó una solución o respuesta final"),
    State.CERRADO_CON_PROBLEMA: _(
        "El caso se cerró, pero quedó una observación o condición pendiente"
    ),
    State.CERRADO_RESPONSABILIDAD_CLIENTE: _(
        "El caso depende de una acción o dato que debe entregar la clínica"
    ),
}

AREA_MEANINGS = {
    Area.SOPORTE: _(
        "errores, dudas de operación, pantallas que no responden o comportamiento inesperado."
    ),
    Area.COMERCIAL: _(
        "pagos, facturas, renovaciones, montos, suscripción o documentación comercial."
    ),
}


def label_of(value: str) -> str:
    """The guide's words for a state or an area value (``abierto`` → ``Abierto``)."""
    return _labels(translation.get_language()).get(value, value)


@functools.cache
def _labels(language: str | None) -> dict[str, str]:
    # Translated once per language and process: a history page shows 50 of these.
    with translation.override(language):
        return {choice.value: str(choice.label) for choice in (*State, *Area)}


def clinic_may_delete(state: str) -> bool:
    """Guide §9: a clinic deletes a ticket only while it is open (created by error)."""
    return state == State.ABIERTO


def allowed_moves(state: str) -> frozenset[State]:
    return TRANSITIONS.get(State(state), frozenset())


def is_closed(state: str) -> bool:
    return state in CLOSED_STATES


def is_open(state: str) -> bool:
    return state in OPEN_STATES
