"""Each report's figures against the slow plain-Python computation (tests/reports/slow.py)
over the same hand-built tickets (tests/reports/conftest.py)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from reports import selectors
from reports.models import TicketTiming
from reports.selectors import Period, percentile
from reports.services import timings_rebuild
from service_levels.selectors import response_targets
from tests.reports import slow
from tests.reports.conftest import END, START, local

AREAS = [None, "soporte", "comercial"]
# PostgreSQL computes the percentiles itself (percentile_cont); there both paths are compared.
PATHS = [False, True] if connection.vendor == "postgresql" else [False]


@pytest.mark.parametrize("area", AREAS)
def test_created_and_closed_per_week_match_the_slow_count(report_data, area):
    period = Period(START, END, area)
    assert selectors.created_by_week(period) == dict(slow.created(period))
    assert selectors.closed_by_week(period) == dict(slow.closed(period))


def test_the_hand_counted_weeks(report_data, period):
    created = selectors.created_by_week(period)
    # T9 (10 Sept) is before the range, T11 (5 Oct) after it, T8 was deleted by its clinic.
    assert created == {
        (date(2026, 9, 14), "soporte"): 3,  # T1, T3, T4 (Thursday, then the holiday Saturday)
        (date(2026, 9, 14), "comercial"): 1,
        (date(2026, 9, 21), "soporte"): 1,
        (date(2026, 9, 21), "comercial"): 2,
        (date(2026, 9, 28), "soporte"): 2,  # T7, T10 (a Saturday)
    }
    closed = selectors.closed_by_week(period)
    # T3 was first closed as "responsabilidad cliente" on 21 Sept; its second closing (as
    # "resuelto", after a reopening) is not a first closing.
    assert closed[date(2026, 9, 21), "soporte", "cerrado_responsabilidad_cliente"] == 1
    assert sum(closed.values()) == 7  # T1, T9, T2, T3, T6, T7, T12


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("kind", ["first_response", "resolution"])
@pytest.mark.parametrize("in_database", PATHS)
def test_durations_per_week_match_the_slow_computation(report_data, area, kind, in_database):
    period = Period(START, END, area)
    figures = selectors.durations_by_week(period, kind, response_targets(), in_database=in_database)
    expected = slow.durations(period, kind)
    assert set(figures) == set(expected)
    for week, stats in figures.items():
        assert stats.count == expected[week]["count"]
        assert stats.median == pytest.approx(expected[week]["median"])
        assert stats.p90 == pytest.approx(expected[week]["p90"])
        assert stats.within == expected[week]["within"]
        assert stats.with_target == stats.count  # both areas have targets (migration)


def test_a_first_response_across_the_holidays_and_the_weekend(report_data):
    # T3: Thursday 17 Sept 17:00 → Monday 21 Sept 10:00: 1 h on Thursday, nothing on the
    # holidays (Friday 18, Saturday 19) nor Sunday, 1 h on Monday.
    timing = TicketTiming.objects.get(ticket=report_data["tickets"]["T3"])
    assert timing.first_response_seconds == 2 * 3600
    # T4, created on the holiday Saturday, answered Monday 9:30: half an hour.
    assert (
        TicketTiming.objects.get(ticket=report_data["tickets"]["T4"]).first_response_seconds == 1800
    )
    # T7 answered at 18:30, after hours: 11:00 to 18:00.
    assert (
        TicketTiming.objects.get(ticket=report_data["tickets"]["T7"]).first_response_seconds
        == 7 * 3600
    )


def test_the_share_within_target_uses_each_areas_target(report_data, period):
    # Soporte answers within 4 business hours, Comercial within 9 (service_levels' defaults).
    week = date(2026, 9, 14)
    stats = selectors.durations_by_week(period, "first_response", response_targets())[week]
    # T9 (created 10 Sept, answered Monday 14 at 9:00: 3 days), T1 (1 h), T2 (comercial 4 h).
    assert (stats.count, stats.within) == (3, 2)
    assert stats.share == pytest.approx(200 / 3)


def test_percentile_interpolates_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.9) == pytest.approx(46.0)


@pytest.mark.parametrize("area", AREAS)
def test_feedback_per_month_matches_the_slow_count(report_data, area):
    period = Period(START, END, area)
    rates = selectors.feedback_by_month(period)
    assert {month: (r.answers, r.solved) for month, r in rates.items()} == slow.feedback(period)


@pytest.mark.parametrize("area", AREAS)
def test_top_clinics_match_the_slow_count(report_data, area):
    period = Period(START, END, area)
    top = selectors.top_clinics(period)
    assert [(c.clinic_id, c.total) for c in top] == slow.top_clinics(period)
    names = {c.name for c in top}
    assert names <= {"Clínica Veterinaria Mevetlab", "Hospital Veterinario Austral"}


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("days_after", [0, 2, 40])
def test_backlog_ages_match_the_slow_count(report_data, area, days_after):
    now = local(10, 5, 12) + timedelta(days=days_after)
    ages = selectors.backlog_ages(area=area, now=now)
    expected = slow.backlog(area, now)
    assert {key: n for key, n in ages.items() if n} == dict(expected)


def test_backlog_buckets_by_hand(report_data):
    ages = selectors.backlog_ages(area=None, now=local(10, 5, 12))
    assert ages["lt_1", "comercial"] == 1  # T11, this morning
    assert ages["1_3", "soporte"] == 1  # T10, Saturday
    assert ages["7_30", "soporte"] == 2  # T4 (en proceso), T5 (abierto)
    assert sum(ages.values()) == 4  # T8 was deleted; the rest are closed


def test_rebuilding_the_timings_gives_what_the_services_kept(report_data):
    kept = {
        row.pk: (row.first_response_seconds, row.resolution_seconds, row.closed_state, row.area)
        for row in TicketTiming.objects.all()
    }
    assert len(kept) == 11  # every ticket but the deleted one
    assert timings_rebuild() == 11
    rebuilt = {
        row.pk: (row.first_response_seconds, row.resolution_seconds, row.closed_state, row.area)
        for row in TicketTiming.objects.all()
    }
    assert rebuilt == kept
