"""Labels of states and areas for lists: looked up once per language, not per row."""

import functools
from html import escape as html_escape

from django import template
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
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
    '<tr><th scope="row" data-label="{l_code}"><span class="code">{{code}}</span></th>'
    '<td data-label="{l_state}"><span class="badge badge--{{state}}">{{state_label}}</span></td>'
    '<td data-label="{l_area}">{{area_label}}</td>'
    '<td data-label="{l_response}">{response}</td>'
    '<td data-label="{l_requester}">{{requester}}</td>'
    '<td data-label="{l_created}">{{created}}</td>'
    '<td><a class="button button--small" href="{{url}}">{l_detail}'
    '<span class="visually-hidden"> {{code}}</span></a></td></tr>'
)
ANSWERED = '<span class="excerpt">{{excerpt}}</span> <span class="muted">({{responded}})</span>'
UNANSWERED = '<span class="muted">{l_no_response}</span>'
EXCERPT_LENGTH = 90


def when(moment, zone=None) -> str:
    """dd-mm-aaaa HH:MM (the portal's DATETIME_FORMAT) in the current time zone (``zone``: that
    zone, looked up once by the caller)."""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%d-%m-%Y %H:%M")


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The first ``length`` characters of the text, the last one an ellipsis if cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


@functools.cache
def _row_formats(language: str | None) -> tuple[str, str]:
    """The row's format strings for a language, its fixed words already escaped in: only
    the ticket's own values are escaped per row (by format_html)."""
    words = {
        key: str(escape(word)).replace("{", "{{").replace("}", "}}")
        for key, word in _row_words(language).items()
    }
    answered = ROW.format(response=ANSWERED.format(), **words)
    unanswered = ROW.format(response=UNANSWERED.format(**words), **words)
    return answered, unanswered


@register.simple_tag
def ticket_rows(tickets, tickets_url: str):
    """The rows of a list of tickets, built in Python: a page of 25 rows renders in a
    fraction of the time of the equivalent template loop. Every value is escaped (with
    ``html.escape``, as Django's ``escape`` does, without its handling of lazy texts: the
    values are plain strings)."""
    language = translation.get_language()
    labels = _labels(language)
    answered, unanswered = _row_formats(language)
    zone = timezone.get_current_timezone()
    rows = []
    for ticket in tickets:
        code = html_escape(ticket.code)
        values = {
            "code": code,
            "state": html_escape(ticket.state),
            "state_label": html_escape(labels.get(ticket.state, ticket.state)),
            "area_label": html_escape(labels.get(ticket.area, ticket.area)),
            "requester": html_escape(ticket.requester.display_name),
            "created": when(ticket.created_at, zone),
            "url": html_escape(tickets_url) + code,
        }
        response = ticket.latest_response
        if response is None:
            rows.append(unanswered.format_map(values))
        else:
            values["excerpt"] = html_escape(excerpt(response.text))
            values["responded"] = when(response.created_at, zone)
            rows.append(answered.format_map(values))
    # Every value above went through html.escape, and the format strings are constants with
    # their words escaped once (_row_formats): the rows are safe HTML as they stand.
    return mark_safe("".join(rows))  # noqa: S308  # nosec B308 B703


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
