"""A ticket's due times: its area's targets on the business hours, kept on the ticket's columns
so the queues do no arithmetic over a million rows. Reopening keeps them (a reopened ticket whose
resolution was due is at once *Vencido*); new targets recompute open tickets only."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from service_levels.business_hours import business_deadline, business_duration
from service_levels.response_times import business_time_words
from service_levels.selectors import Targets, response_targets_for
from tickets.states import is_open
from vetsync_support.dates import local_datetime


def set_due_times(ticket, targets: Targets | None) -> None:
    """Set the due times of ``ticket`` (from its ``created_at``) under its area's ``targets``."""
    if targets is None:
        ticket.first_response_due_at = ticket.resolution_due_at = None
    else:
        ticket.first_response_due_at = business_deadline(ticket.created_at, targets.first_response)
        ticket.resolution_due_at = business_deadline(ticket.created_at, targets.resolution)


def on_ticket_creating(*, ticket, **_signal_args: object) -> None:
    """A new ticket's due times, set before its INSERT (tickets/events.py ticket_creating)."""
    set_due_times(ticket, response_targets_for(ticket.area))


def due_words(due_at: datetime | None, *, now: datetime, short: bool = False) -> str:
    """ "Vence en 3 h hábiles" / "Vencido hace 1 día hábil"; "" without a due time. ``short``,
    for the agents' list, whose column header says "vence" in business time: "3 h" / "hace
    1 d"."""
    if due_at is None:
        return ""
    if due_at > now:
        words = business_time_words(business_duration(now, due_at), short=short)
        return words if short else _("Vence en %(time)s") % {"time": words}
    words = business_time_words(business_duration(due_at, now), short=short)
    template = _("hace %(time)s") if short else _("Vencido hace %(time)s")
    return template % {"time": words}


def target_met(done_at: datetime | None, due_at: datetime | None) -> bool | None:
    """Whether a target was met: done at or before its due moment; None without a due time or
    when not done yet. The one definition: the desk's target lines and the reports ask here."""
    if due_at is None or done_at is None:
        return None
    return done_at <= due_at


@dataclass(frozen=True)
class TargetLine:
    """One target on a ticket's page: "Primera respuesta: vencida el 23-03-2026 14:00"."""

    name: str
    text: str
    passed: bool  # the target was missed (marked on the page)


def _target_line(
    name: str,
    *,
    due_at: datetime | None,
    done_at: datetime | None,
    met: str,
    late: str,
    now: datetime,
    closed_undone: str | None = None,  # the words for a ticket closed without it
) -> TargetLine:
    if due_at is None:
        return TargetLine(name, _("sin objetivo para esta área"), False)
    due = local_datetime(due_at)
    if done_at is not None:
        words = {"done": local_datetime(done_at), "due": due}
        if target_met(done_at, due_at):
            return TargetLine(name, met % words, False)
        return TargetLine(name, late % words, True)
    if closed_undone is not None:
        return TargetLine(name, closed_undone, False)
    if due_at <= now:
        return TargetLine(name, _("vencida el %(due)s") % {"due": due}, True)
    return TargetLine(name, _("vence el %(due)s") % {"due": due}, False)


def target_lines(ticket, *, now: datetime) -> list[TargetLine]:
    """The ticket's two targets; the resolution is judged on its first closing (``resolved_at``)."""
    closed = not is_open(ticket.state)
    return [
        _target_line(
            _("Primera respuesta"),
            due_at=ticket.first_response_due_at,
            done_at=ticket.first_response_at,
            met=_("respondida a tiempo el %(done)s (vencía el %(due)s)"),
            late=_("vencida el %(due)s; respondida el %(done)s"),
            now=now,
            closed_undone=_("cerrado sin respuesta del equipo") if closed else None,
        ),
        _target_line(
            _("Resolución"),
            due_at=ticket.resolution_due_at,
            done_at=ticket.resolved_at,
            met=_("cerrado a tiempo el %(done)s (vencía el %(due)s)"),
            late=_("vencida el %(due)s; cerrado el %(done)s"),
            now=now,
        ),
    ]
