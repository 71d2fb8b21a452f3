"""The reports' figures computed the slow, plain way: every ticket and event read into Python,
each business duration measured again, nothing taken from TicketTiming."""

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.utils import timezone

from feedback.models import Feedback
from service_levels.business_hours import SANTIAGO, business_duration
from tickets.models import Ticket, TicketEvent
from tickets.states import CLOSED_STATES


def day(moment: datetime) -> date:
    return timezone.localtime(moment, SANTIAGO).date()


def monday(moment: datetime) -> date:
    d = day(moment)
    return d - timedelta(days=d.weekday())


def in_range(moment, period) -> bool:
    return moment is not None and period.start <= day(moment) <= period.end


def tickets(period):
    return [
        t
        for t in Ticket.objects.all()
        if t.deleted_at is None and (period.area is None or t.area == period.area)
    ]


def first_closings() -> dict[int, tuple[datetime, str]]:
    closings = {}
    for event in TicketEvent.objects.order_by("created_at", "id"):
        if event.to_state in CLOSED_STATES and event.kind == "state_changed":
            closings.setdefault(event.ticket_id, (event.created_at, event.to_state))
    return closings


def created(period) -> Counter:
    return Counter(
        (monday(t.created_at), t.area) for t in tickets(period) if in_range(t.created_at, period)
    )


def closed(period) -> Counter:
    closings = first_closings()
    counter = Counter()
    for t in tickets(period):
        if t.pk in closings and in_range(closings[t.pk][0], period):
            counter[monday(closings[t.pk][0]), t.area, closings[t.pk][1]] += 1
    return counter


def p90(values):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def durations(period, kind):
    """Per week of the response or first closing: how many, their median and p90 in business
    seconds, how many had a due time and how many were done by it (at or before the ticket's
    due moment, as the desk words it)."""
    weeks = defaultdict(list)
    for t in tickets(period):
        if kind == "first_response":
            end, due = t.first_response_at, t.first_response_due_at
        else:
            end, due = t.resolved_at, t.resolution_due_at
        if in_range(end, period):
            seconds = int(business_duration(t.created_at, end).total_seconds())
            weeks[monday(end)].append((seconds, due, end))
    result = {}
    for week, items in weeks.items():
        values = sorted(float(s) for s, _due, _end in items)
        result[week] = {
            "count": len(values),
            "median": statistics.median(values),
            "p90": p90(values),
            "with_target": sum(1 for _s, due, _end in items if due is not None),
            "within": sum(1 for _s, due, end in items if due is not None and end <= due),
        }
    return result


def feedback(period):
    counter = defaultdict(lambda: [0, 0])
    for answer in Feedback.objects.select_related("ticket"):
        if in_range(answer.created_at, period) and (
            period.area is None or answer.ticket.area == period.area
        ):
            month = day(answer.created_at).replace(day=1)
            counter[month][0] += 1
            counter[month][1] += answer.solved
    return {month: tuple(v) for month, v in counter.items()}


def top_clinics(period):
    counter = Counter(t.clinic_id for t in tickets(period) if in_range(t.created_at, period))
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:10]


def backlog(area, now):
    result = Counter()
    for t in Ticket.objects.all():
        if t.deleted_at or t.state not in ("abierto", "en_proceso"):
            continue
        if area and t.area != area:
            continue
        age = now - t.created_at
        days = age / timedelta(days=1)
        key = (
            "lt_1"
            if days < 1
            else "1_3"
            if days < 3
            else "3_7"
            if days < 7
            else "7_30"
            if days < 30
            else "gt_30"
        )
        result[key, t.area] += 1
    return result
