"""The bulk actions of the agents' ticket list. Each ticket goes through tickets/services.py on
its own: those refused are listed after "Rechazados", with the reason; the others change."""

from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from tickets import services
from tickets.states import State


@admin.action(description=_("Mover a En proceso"), permissions=["change"])
def move_to_in_process(modeladmin, request, queryset):
    move = partial(services.ticket_transition, to_state=State.EN_PROCESO, actor=request.user)
    done = ngettext_lazy(
        "%(n)d ticket pasó a En proceso.", "%(n)d tickets pasaron a En proceso.", "n"
    )
    _apply_to_each(modeladmin, request, queryset, move, done)


@admin.action(description=_("Asignármelos"), permissions=["change"])
def assign_to_me(modeladmin, request, queryset):
    assign = partial(services.ticket_assign, agent=request.user, actor=request.user)
    done = ngettext_lazy(
        "%(n)d ticket quedó asignado a usted.", "%(n)d tickets quedaron asignados a usted.", "n"
    )
    _apply_to_each(modeladmin, request, queryset, assign, done)


def _apply_to_each(modeladmin, request, queryset, change, done) -> None:
    """``change`` each ticket in its own transaction; say how many changed, which were refused."""
    changed, refused = 0, []
    for ticket in queryset.order_by("pk"):
        try:
            with transaction.atomic():
                change(ticket=ticket)
        except services.TicketError as error:
            refused.append(f"{ticket.code} ({error.message})")
        else:
            changed += 1
    modeladmin.message_user(request, done % {"n": changed}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request, _("Rechazados: %(list)s") % {"list": "; ".join(refused)}, messages.WARNING
        )
