"""Labels of states and areas for lists: looked up once per language, not per row."""

import functools

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext

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


ROW = (
    '<tr><th scope="row" data-label="{l_code}"><span class="code">{code}</span></th>'
    '<td data-label="{l_state}"><span class="badge badge--{state}">{state_label}</span></td>'
    '<td data-label="{l_area}">{area_label}</td>'
    '<td data-label="{l_response}">{response}</td>'
    '<td data-label="{l_requester}">{requester}</td>'
    '<td data-label="{l_created}">{created}</td>'
    '<td><a class="button button--small" href="{url}">{l_detail}'
    '<span class="visually-hidden"> {code}</span></a></td></tr>'
)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


@register.simple_tag
def ticket_rows(tickets, tickets_url: str):
    """The rows of a list of tickets, built in Python: a page of 25 rows renders in a
    fraction of the time of the equivalent template loop. Every value is escaped."""
    language = translation.get_language()
    labels = _labels(language)
    words = _row_words(language)
    rows = []
    for ticket in tickets:
        response = ticket.latest_response
        if response is not None:
            response_html = format_html(
                '<span class="excerpt">{}</span> <span class="muted">({})</span>',
                Truncator(response.text).chars(90),
                _when(response.created_at),
            )
        else:
            response_html = format_html('<span class="muted">{}</span>', words["l_no_response"])
        rows.append(
            format_html(
                ROW,
                code=ticket.code,
                state=ticket.state,
                state_label=labels.get(ticket.state, ticket.state),
                area_label=labels.get(ticket.area, ticket.area),
                response=response_html,
                requester=ticket.requester.display_name,
                created=_when(ticket.created_at),
                url=f"{tickets_url}{ticket.code}",
                **{k: v for k, v in words.items() if k != "l_no_response"},
            )
        )
    return format_html_join("", "{}", ((row,) for row in rows))


@functools.cache
def _row_words(language: str | None) -> dict[str, str]:
    with translation.override(language):
        return {
            "l_code": gettext("Código"),
            "l_state": gettext("Estado"),
            "l_area": gettext("Área"),
            "l_response": gettext("Última respuesta"),
            "l_requester": gettext("Solicitante"),
            "l_created": gettext("Creado"),
            "l_detail": gettext("Ver detalle"),
            "l_no_response": gettext("Sin respuesta todavía"),
        }
