"""The agents' queues (defined once in tickets/queues.py) and response-time targets in the ticket
list (templates/admin/tickets/ticket/change_list.html) and a ticket's page."""

from django.contrib import admin
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from service_levels.due_times import due_words, target_lines
from tickets.queues import BY_SLUG, QUEUES, moment_for, queue_counts

QUEUE_PARAMETER = "cola"
# What is due first on top; tickets without a due time (closed, or an area without targets)
# last. The list's queues read it on the open tickets' index (next_due_at, id).
DUE_FIRST = F("next_due_at").asc(nulls_last=True)


class QueueFilter(admin.SimpleListFilter):
    title = _("cola")
    parameter_name = QUEUE_PARAMETER

    def lookups(self, request, model_admin):
        return [(queue.slug, queue.label) for queue in QUEUES]

    def queryset(self, request, queryset):
        queue = BY_SLUG.get(self.value() or "")
        return queryset if queue is None else queue.tickets(queryset, moment_for(request.user))


def queue_links(request) -> list[dict]:
    """The queues above the list and on the index page: label, count, link, whether shown."""
    selected = request.GET.get(QUEUE_PARAMETER)
    return [
        {
            "slug": queue.slug,
            "label": queue.label,
            "count": count,
            "query": f"?{QUEUE_PARAMETER}={queue.slug}",
            "selected": queue.slug == selected,
        }
        for queue, count in queue_counts(moment_for(request.user))
    ]


class DeskQueuesMixin:
    """Mixed into TicketAdmin: the queues' links and counts, their default order (what is due
    first), the list's "Vence en …" column and the page's targets block."""

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "queues": queue_links(request)}
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request):
        # No queue holds a ticket deleted by its clinic: its "eliminado" column would be empty.
        columns = super().get_list_display(request)
        if request.GET.get(QUEUE_PARAMETER) in BY_SLUG:
            return [column for column in columns if column != "deleted_mark"]
        return columns

    def get_ordering(self, request):
        if request.GET.get(QUEUE_PARAMETER) in BY_SLUG:
            return [DUE_FIRST, "id"]
        return super().get_ordering(request)

    # The list shows the pending target of an open ticket (Ticket.next_due_at): the first
    # response's due time while the team has not answered, then the resolution's.
    @admin.display(description=_("vence (tiempo hábil)"), ordering=DUE_FIRST)
    def due_column(self, ticket):
        words = due_words(ticket.next_due_at, now=timezone.now(), short=True)
        if not words:
            return "—"
        return render_to_string(
            "admin/tickets/ticket/due_cell.html",
            {"words": words, "overdue": ticket.next_due_at <= timezone.now()},
        )

    @admin.display(description=_("tiempos de respuesta"))
    def service_level(self, ticket):
        return render_to_string(
            "admin/tickets/ticket/blocks/targets.html",
            {"targets": target_lines(ticket, now=timezone.now())},
        )
