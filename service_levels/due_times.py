"""A ticket's due times: the response-time targets of its area placed on the team's business
hours (service_levels/business_hours.py), and how the agents' desk words them.

Kept on the ticket's columns: set before a new ticket's INSERT (service_levels/receivers.py) and
when an area's targets change (service_levels/services.py); which one is pending is the core's
Ticket.pending_due_at. So the queues and the list read columns instead of doing business-hours
arithmetic over a million rows.

Two cases, decided once here:
- Reopening (an agent moves a closed ticket back to En proceso) keeps both due times: the
  targets run from the ticket's creation to its closing (ResponseTarget.resolution_hours), so a
  reopened ticket whose resolution was due is at once *Vencido*, which is what the team must
  see of a case closed too early; its resolution counts as met or missed on its first closing
  (``resolved_at``, which reopening keeps). A change of the area's targets recomputes the due
  times of open tickets only, reopened ones included; closed tickets keep the due times they
  were judged by.
- A ticket's area never changes (no service changes it, and the agents' form does not offer
  it): its due times need no recomputation for that.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate

from django.utils.translation import gettext as _

from service_levels.business_hours import (
    BUSINESS_DAY,
    SANTIAGO,
    business_deadline,
    business_duration,
    is_business_day,
)
from service_levels.response_times import business_time_words
from service_levels.selectors import Targets
from tickets.states import is_open
from vetsync_support.dates import local_datetime


@dataclass(frozen=True)
class DueTimes:
    first_response: datetime | None
    resolution: datetime | None


NO_TARGET = DueTimes(None, None)


def due_times(*, created_at: datetime, targets: Targets | None) -> DueTimes:
    """The due times of a ticket created at ``created_at`` under its area's ``targets``."""
    if targets is None:
        return NO_TARGET
    return DueTimes(
        first_response=business_deadline(created_at, targets.first_response),
        resolution=business_deadline(created_at, targets.resolution),
    )


@lru_cache(maxsize=16)
def _business_days_before_in_year(year: int) -> tuple[int, ...]:
    """For each day of the year (0 = 1 January), how many business days come before it in the
    year; the last entry is the year's total."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return (0, *accumulate(1 if is_business_day(day) else 0 for day in days))


def _business_days_between(first: date, last: date) -> int:
    """Business days from ``first`` up to, not including, ``last``."""
    total = 0
    for year in range(first.year, last.year + 1):
        counts = _business_days_before_in_year(year)
        start = first.timetuple().tm_yday - 1 if year == first.year else 0
        end = last.timetuple().tm_yday - 1 if year == last.year else len(counts) - 1
        total += counts[end] - counts[start]
    return total


def business_time_between(start: datetime, end: datetime) -> timedelta:
    """business_duration (tickets/business_hours.py) for the list's words, without walking
    every day of a long span: the two end days through business_duration, the whole days
    between counted from a per-year table. On a page of tickets overdue for months, walking
    each one's days was half the page's Python time (bench: 77 against 40 ms of CPU). Equal to
    business_duration (tests/tickets/test_queues.py)."""
    if end <= start:
        return timedelta(0)
    first = start.astimezone(SANTIAGO).date() + timedelta(days=1)
    last = end.astimezone(SANTIAGO).date()
    if last <= first:
        return business_duration(start, end)
    first_midnight = datetime.combine(first, time(0), SANTIAGO).astimezone(UTC)
    last_midnight = datetime.combine(last, time(0), SANTIAGO).astimezone(UTC)
    return (
        business_duration(start, first_midnight)
        + BUSINESS_DAY * _business_days_between(first, last)
        + business_duration(last_midnight, end)
    )


def due_words(due_at: datetime | None, *, now: datetime) -> str:
    """ "Vence en 3 h hábiles" / "Vencido hace 1 día hábil", in business time; "" without a due
    time."""
    if due_at is None:
        return ""
    if due_at > now:
        return _("Vence en %(time)s") % {
            "time": business_time_words(business_time_between(now, due_at))
        }
    return _("Vencido hace %(time)s") % {
        "time": business_time_words(business_time_between(due_at, now))
    }


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
    closed_undone: str | None,
    is_open: bool,
    now: datetime,
) -> TargetLine:
    if due_at is None:
        return TargetLine(name, _("sin objetivo para esta área"), False)
    due = local_datetime(due_at)
    if done_at is not None:
        done = local_datetime(done_at)
        if done_at <= due_at:
            return TargetLine(name, met % {"done": done, "due": due}, False)
        return TargetLine(name, late % {"done": done, "due": due}, True)
    if not is_open and closed_undone is not None:
        return TargetLine(name, closed_undone, False)
    if due_at <= now:
        return TargetLine(name, _("vencida el %(due)s") % {"due": due}, True)
    return TargetLine(name, _("vence el %(due)s") % {"due": due}, False)


def target_lines(ticket, *, now: datetime) -> list[TargetLine]:
    """The ticket's two targets with their due times and whether and when they were missed;
    the resolution is judged on the ticket's first closing (``resolved_at``)."""
    still_open = is_open(ticket.state)
    return [
        _target_line(
            _("Primera respuesta"),
            due_at=ticket.first_response_due_at,
            done_at=ticket.first_response_at,
            met=_("respondida a tiempo el %(done)s (vencía el %(due)s)"),
            late=_("vencida el %(due)s; respondida el %(done)s"),
            closed_undone=_("cerrado sin respuesta del equipo"),
            is_open=still_open,
            now=now,
        ),
        _target_line(
            _("Resolución"),
            due_at=ticket.resolution_due_at,
            done_at=ticket.resolved_at,
            met=_("cerrado a tiempo el %(done)s (vencía el %(due)s)"),
            late=_("vencida el %(due)s; cerrado el %(done)s"),
            closed_undone=None,
            is_open=still_open,
            now=now,
        ),
    ]
