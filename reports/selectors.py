"""The reports' reads (Informes): each figure in one aggregate query over an index. Ranges are
whole days in America/Santiago, ``start`` to ``end`` inclusive; weeks start on Monday, keyed by
its date (a week cut by the range counts only its days in it). Tickets deleted by their clinic
are not counted. Closings are *first* closings (``Ticket.resolved_at``, in the state closed in
then); a first response or a closing counts in the week when it happened."""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Clinic
from feedback.models import Feedback
from feedback.selectors import MonthlyRate, feedback_monthly_rates
from reports.models import TicketTiming
from service_levels.business_hours import SANTIAGO
from tickets.states import Area, State, is_closed

CLOSED_STATES_ORDER = [state for state in State if is_closed(state)]  # as State declares them
# The open backlog's ages: (upper bound in days or None, key), youngest first.
AGE_BUCKETS = ((1, "lt_1"), (3, "1_3"), (7, "3_7"), (30, "7_30"), (None, "gt_30"))
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    area: str | None  # None: every area

    @property
    def areas(self) -> list[str]:
        return [self.area] if self.area else list(Area.values)

    @property
    def weeks(self) -> list[date]:
        monday = self.start - timedelta(days=self.start.weekday())
        return [monday + timedelta(weeks=n) for n in range((self.end - monday).days // 7 + 1)]

    @property
    def months(self) -> list[date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


def _timings(period: Period, day: str) -> QuerySet[TicketTiming]:
    """The timings whose ``day`` (created_day, first_response_day, resolved_day) is in range."""
    queryset = TicketTiming.objects.filter(
        **{f"{day}__gte": period.start, f"{day}__lte": period.end}
    )
    if period.area:
        queryset = queryset.filter(area=period.area)
    return queryset.order_by()


def created_by_week(period: Period) -> dict[tuple[date, str], int]:
    """Tickets created, per (week, area)."""
    rows = (
        _timings(period, "created_day")
        .values_list(TruncWeek("created_day"), "area")
        .annotate(n=Count("pk"))
    )
    return {(week, area): n for week, area, n in rows}


def closed_by_week(period: Period) -> dict[tuple[date, str, str], int]:
    """Tickets closed (first closing), per (week, area, state closed in)."""
    rows = (
        _timings(period, "resolved_day")
        .values_list(TruncWeek("resolved_day"), "area", "closed_state")
        .annotate(n=Count("pk"))
    )
    return {(week, area, state): n for week, area, state, n in rows}


@dataclass(frozen=True)
class Durations:
    """A week's business durations (seconds) of one kind: how many, their median and 90th
    percentile, how many had a due time (``with_target``) and how many were done by it."""

    count: int
    median: float | None
    p90: float | None
    with_target: int
    within: int

    @property
    def share(self) -> float | None:
        return 100 * self.within / self.with_target if self.with_target else None


def percentile(ordered: list[float], fraction: float) -> float | None:
    """The ``fraction`` percentile of sorted values, interpolated like percentile_cont."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(fraction) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def durations_by_week(
    period: Period, kind: str, *, in_database: bool | None = None
) -> dict[date, Durations]:
    """First-response or resolution (``kind``) times per week of the response or closing, and how
    many met their target (the met flags). On PostgreSQL the database computes the percentiles
    (one grouped query over timing_*_idx alone); elsewhere, or ``in_database=False``, Python."""
    day = f"{'resolved' if kind == RESOLUTION else kind}_day"
    seconds, met = f"{kind}_seconds", f"{kind}_met"
    queryset = _timings(period, day)
    week = TruncWeek(day)
    if in_database is None:
        # On the 200,000-ticket bench data, a month's two kinds: 20 ms in PostgreSQL, against
        # 56 ms reading the rows and sorting them in Python (the gap grows with the range).
        in_database = connection.vendor == "postgresql"
    if in_database:
        # Counts of the index's own columns (COUNT skips NULLs: a met flag counts where there
        # is a due time), not of the primary key, which the index does not hold: PostgreSQL
        # can then answer from the index alone.
        rows = queryset.values_list(week).annotate(
            n=Count(day),
            median=PercentileCont(F(seconds), fraction=0.5),
            p90=PercentileCont(F(seconds), fraction=0.9),
            with_target=Count(met),
            within=Count(met, filter=Q(**{met: True})),
        )
        return {key: Durations(*figures) for key, *figures in rows}
    values: dict[date, list[tuple[int, bool | None]]] = defaultdict(list)
    for key, value, value_met in queryset.values_list(week, seconds, met):
        values[key].append((value, value_met))
    result = {}
    for key, items in values.items():
        ordered = sorted(float(value) for value, _met in items)
        flags = [value_met for _value, value_met in items if value_met is not None]
        median, p90 = percentile(ordered, 0.5), percentile(ordered, 0.9)
        result[key] = Durations(len(ordered), median, p90, len(flags), sum(flags))
    return result


def feedback_by_month(period: Period) -> dict[date, MonthlyRate]:
    """The clinics' answers to "¿Se resolvió su problema?" given in the range, per month."""
    start = datetime.combine(period.start, time(0), SANTIAGO)
    end = datetime.combine(period.end + timedelta(days=1), time(0), SANTIAGO)
    answers = Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
    if period.area:
        answers = answers.filter(ticket__area=period.area)
    return {
        timezone.localtime(rate.month, SANTIAGO).date().replace(day=1): rate
        for rate in feedback_monthly_rates(answers=answers)
    }


@dataclass(frozen=True)
class ClinicTickets:
    clinic_id: int
    name: str
    total: int
    by_area: dict[str, int]


def top_clinics(period: Period, *, limit: int = 10) -> list[ClinicTickets]:
    """The clinics with most tickets created in the range (ties: the older clinic first)."""
    per_area = {area: Count("pk", filter=Q(area=area)) for area in Area.values}
    rows = list(
        _timings(period, "created_day")
        .values_list("clinic_id")
        .annotate(total=Count("pk"), **per_area)  # columns in this order, areas last
        .order_by("-total", "clinic_id")[:limit]
    )
    names = dict(Clinic.objects.filter(pk__in=[row[0] for row in rows]).values_list("pk", "name"))
    return [
        ClinicTickets(
            clinic_id, names.get(clinic_id, ""), total, dict(zip(per_area, by_area, strict=True))
        )
        for clinic_id, total, *by_area in rows
    ]


def backlog_ages(*, area: str | None, now: datetime | None = None) -> dict[tuple[str, str], int]:
    """Open tickets (Abierto, En proceso) not deleted, now, per (age bucket, area). One query
    over timing_open_idx alone."""
    now = now or timezone.now()
    counts, lower = {}, now
    for days, key in AGE_BUCKETS:
        bucket = Q(created_at__lte=lower)
        if days is not None:
            lower = now - timedelta(days=days)
            bucket &= Q(created_at__gt=lower)
        counts[key] = Count("pk", filter=bucket)
    queryset = TicketTiming.objects.filter(is_open=True)
    if area:
        queryset = queryset.filter(area=area)
    rows = queryset.order_by().values_list("area").annotate(**counts)  # area, then the buckets
    return {
        (key, row_area): n
        for row_area, *figures in rows
        for key, n in zip(counts, figures, strict=True)
    }
