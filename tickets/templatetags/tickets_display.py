"""Labels of states and areas for lists: looked up once per language, not per row."""

import functools

from django import template
from django.utils import translation

from tickets.states import Area, State

register = template.Library()


@functools.cache
def _labels(language: str | None) -> dict[str, str]:
    with translation.override(language):
        return {choice.value: str(choice.label) for choice in (*State, *Area)}


@register.filter
def choice_label(value: str) -> str:
    """The guide's words for a state or an area value (``abierto`` → ``Abierto``)."""
    return _labels(translation.get_language()).get(value, value)


@functools.cache
def _area_options(language: str | None) -> list[dict[str, str]]:
    from tickets.states import AREA_MEANINGS

    with translation.override(language):
        return [
            {"value": area.value, "label": str(area.label), "meaning": str(AREA_MEANINGS[area])}
            for area in Area
        ]


@register.simple_tag
def area_options() -> list[dict[str, str]]:
    """Soporte and Comercial with the guide's explanation of each (guide §4)."""
    return _area_options(translation.get_language())
