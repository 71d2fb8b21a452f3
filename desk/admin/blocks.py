"""The read-only blocks of a ticket's page, each a small template under
templates/admin/tickets/ticket/blocks/, which escapes every value."""

from datetime import datetime

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from attachments.admin import download_url
from attachments.selectors import ticket_attachments
from service_levels.business_hours import business_duration
from service_levels.response_times import business_time_words

BLOCKS = "admin/tickets/ticket/blocks"


class TicketPageBlocks:
    """Mixed into TicketAdmin; its ``readonly_fields`` name these methods. The ticket comes
    from TicketAdmin.get_object, with its people and its ``has_…`` flags."""

    @admin.display(description=_("ticket"))
    def summary(self, ticket):
        return render_to_string(
            f"{BLOCKS}/summary.html",
            {
                "ticket": ticket,
                "first_response_time": elapsed(ticket.created_at, ticket.first_response_at),
                "resolution_time": elapsed(ticket.created_at, ticket.resolved_at),
                # "Avisar también a": who else gets the ticket's e-mails (most: nobody, no query)
                "watchers": ticket.watchers.all() if getattr(ticket, "has_watchers", True) else [],
            },
        )

    @admin.display(description=_("detalle reportado e información agregada"))
    def clinic_words(self, ticket):
        additions = []
        if getattr(ticket, "has_additions", True):  # most tickets have none: no query
            additions = ticket.additions.select_related("author")
        return render_to_string(
            f"{BLOCKS}/clinic_words.html", {"ticket": ticket, "additions": additions}
        )

    @admin.display(description=_("archivos adjuntos"))
    def files(self, ticket):
        attachments = []
        if getattr(ticket, "has_attachments", True):  # most tickets have none: no query
            attachments = [
                {"file": attachment, "url": download_url(attachment)}
                for attachment in ticket_attachments(ticket_id=ticket.pk)
            ]
        return render_to_string(f"{BLOCKS}/files.html", {"attachments": attachments})

    @admin.display(description=_("¿Se resolvió su problema?"))
    def clinic_feedback(self, ticket):
        # Joined by TicketAdmin.get_object: no query. None when the clinic has not answered.
        answer = getattr(ticket, "feedback", None)
        return render_to_string(f"{BLOCKS}/feedback.html", {"answer": answer})

    @admin.display(description=_("respuestas publicadas y notas internas"))
    def conversation(self, ticket):
        responses, notes = [], []
        if ticket.latest_response_id is not None:  # set by every response (services)
            responses = ticket.responses.select_related("author")
        if getattr(ticket, "has_notes", True):
            notes = ticket.notes.select_related("author")
        texts = [{"is_note": False, "text": text} for text in responses]
        texts += [{"is_note": True, "text": text} for text in notes]
        texts.sort(key=lambda entry: entry["text"].created_at)
        return render_to_string(f"{BLOCKS}/conversation.html", {"texts": texts})

    @admin.display(description=_("eventos"))
    def timeline(self, ticket):
        events = ticket.events.select_related("actor")
        return render_to_string(f"{BLOCKS}/timeline.html", {"events": events})


def elapsed(start: datetime, end: datetime | None) -> str:
    """From the ticket's creation to a later moment, in business time, the measure of the
    response-time targets and the reports ("—" if none)."""
    return business_time_words(business_duration(start, end)) if end else "—"
