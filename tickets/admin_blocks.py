"""The read-only blocks of a ticket's admin page: the clinic's words, the summary, the
conversation, the dates and the timeline. Every value is escaped by ``format_html``."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tickets import admin_reads


class TicketPageBlocks:
    """Mixed into ``TicketAdmin``; its ``readonly_fields`` name these methods."""

    @admin.display(description=_("detalle reportado e información agregada"))
    def clinic_words(self, ticket):
        detail = format_html('<div class="readonly-text">{}</div>', ticket.detail)
        if not getattr(ticket, "has_additions", True):
            return detail
        return (
            format_html_join(
                "",
                '{}<p><strong>{} · {}</strong></p><div class="readonly-text">{}</div>',
                (
                    (detail if n == 0 else "", a.author.display_name, _when(a.created_at), a.text)
                    for n, a in enumerate(ticket.additions.select_related("author"))
                ),
            )
            or detail
        )

    @admin.display(description=_("ticket"))
    def summary(self, ticket):
        follows_up = ticket.follows_up.code if ticket.follows_up else "—"
        rows = [
            (gettext("Código"), ticket.code),
            (gettext("Clínica"), f"{ticket.clinic.name} · {ticket.clinic.formatted_rut}"),
            (gettext("Solicitante"), ticket.requester.display_name),
            (gettext("Área"), ticket.get_area_display()),
            (gettext("Ticket anterior"), follows_up),
        ]
        return format_html(
            '<dl class="ticket-summary">{}</dl>{}',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
            self.dates(ticket),
        )

    @admin.display(description=_("respuestas publicadas y notas internas"))
    def conversation(self, ticket):
        responses, notes = [], []
        if ticket.latest_response_id is not None:  # set by every response (services)
            responses = admin_reads.ticket_responses(ticket=ticket)
        if getattr(ticket, "has_notes", True):
            notes = admin_reads.ticket_notes(ticket=ticket)
        texts = sorted(
            [
                *((gettext("Respuesta publicada"), r) for r in responses),
                *((gettext("Nota interna"), n) for n in notes),
            ],
            key=lambda pair: pair[1].created_at,
        )
        if not texts:
            return "—"
        return format_html_join(
            "",
            '<p><strong>{} · {} · {}</strong></p><div class="readonly-text">{}</div>',
            (
                (kind, _when(text.created_at), text.author.display_name, text.text)
                for kind, text in texts
            ),
        )

    def dates(self, ticket):
        rows = [
            (gettext("Creado"), _when(ticket.created_at)),
            (gettext("Última modificación"), _when(ticket.updated_at)),
            (
                gettext("Tiempo de primera respuesta"),
                _duration(ticket.created_at, ticket.first_response_at),
            ),
            (gettext("Tiempo de resolución"), _duration(ticket.created_at, ticket.resolved_at)),
        ]
        if ticket.deleted_at:
            deleted_by = ticket.deleted_by.display_name if ticket.deleted_by else "—"
            rows.append(
                (gettext("Eliminado por la clínica"), f"{_when(ticket.deleted_at)} · {deleted_by}")
            )
        return format_html(
            '<dl class="ticket-dates">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    @admin.display(description=_("eventos"))
    def timeline(self, ticket):
        events = admin_reads.ticket_events(ticket=ticket)
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        _when(e.created_at),
                        e.actor.display_name if e.actor else "—",
                        e.get_kind_display(),
                        _transition_text(e),
                    )
                    for e in events
                ),
            ),
        )


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def _duration(start, end):
    if not end:
        return "—"
    minutes = int((end - start).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)d d %(h)d h %(m)d min") % {"d": days, "h": hours, "m": minutes}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}


def _transition_text(event):
    if event.from_state and event.to_state and event.from_state != event.to_state:
        return f" · {event.get_from_state_display()} → {event.get_to_state_display()}"
    if event.description:
        return f" · {event.description}"
    return ""
