"""tickets/business_hours.py and tickets/response_times.py: the team's business hours (Monday to
Friday, 9:00-18:00 in Santiago, not on Chile's holidays) and "Normalmente respondemos en …"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from service_levels import response_times
from service_levels.business_hours import business_deadline, business_duration, is_business_day
from service_levels.response_times import business_time_words, typical_first_response
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets.models import Ticket

SANTIAGO = ZoneInfo("America/Santiago")


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SANTIAGO)


def hours(h, minutes=0):
    return timedelta(hours=h, minutes=minutes)


# --- business_duration --------------------------------------------------------------------------


def test_within_one_business_day():
    # Tuesday 03-11-2026, 10:00 to 13:30.
    assert business_duration(at(2026, 11, 3, 10), at(2026, 11, 3, 13, 30)) == hours(3, 30)


def test_a_weekend_does_not_count():
    # Friday 06-11-2026 17:00 to Monday 09-11-2026 10:00: one hour on Friday, one on Monday.
    assert business_duration(at(2026, 11, 6, 17), at(2026, 11, 9, 10)) == hours(2)
    # Saturday to Sunday: nothing.
    assert business_duration(at(2026, 11, 7, 10), at(2026, 11, 8, 17)) == timedelta(0)


def test_a_chilean_holiday_does_not_count():
    # 18-09-2026 (Fiestas Patrias, a Friday) and 19-09 (Saturday, a holiday too).
    assert not is_business_day(at(2026, 9, 18).date())
    assert is_business_day(at(2026, 9, 17).date())  # Thursday 17-09 works
    # Thursday 17-09 17:00 to Monday 21-09 10:00: one hour each working day.
    assert business_duration(at(2026, 9, 17, 17), at(2026, 9, 21, 10)) == hours(2)
    # The same span a week earlier, without a holiday, counts the Friday's nine hours.
    assert business_duration(at(2026, 9, 10, 17), at(2026, 9, 14, 10)) == hours(11)


def test_after_the_end_of_a_business_day_counts_from_the_next_morning():
    # Written Tuesday at 18:30, answered Wednesday at 9:45: 45 minutes.
    assert business_duration(at(2026, 11, 3, 18, 30), at(2026, 11, 4, 9, 45)) == hours(0, 45)
    # Written at 17:30, answered at 20:00 the same day: the half hour before 18:00.
    assert business_duration(at(2026, 11, 3, 17, 30), at(2026, 11, 3, 20)) == hours(0, 30)


def test_before_nine_counts_from_nine():
    assert business_duration(at(2026, 11, 3, 7, 15), at(2026, 11, 3, 9, 20)) == hours(0, 20)
    assert business_duration(at(2026, 11, 3, 2), at(2026, 11, 3, 8, 59)) == timedelta(0)


def test_a_change_of_daylight_saving_time_moves_the_window_with_the_clock():
    # Chile's clocks go forward at 00:00 on Sunday 06-09-2026 (UTC-4 to UTC-3): Friday 17:00
    # to Monday 10:00 is still one hour each side of the weekend.
    friday, monday = at(2026, 9, 4, 17), at(2026, 9, 7, 10)
    assert friday.utcoffset() != monday.utcoffset()
    assert business_duration(friday, monday) == hours(2)
    # And back at 00:00 on Sunday 05-04-2026; that Friday, 03-04, is Viernes Santo (a holiday):
    # Thursday 17:00 to Monday 10:00 is again one hour each side.
    thursday, monday = at(2026, 4, 2, 17), at(2026, 4, 6, 10)
    assert thursday.utcoffset() != monday.utcoffset()
    assert business_duration(thursday, monday) == hours(2)


def test_moments_in_another_zone_are_read_in_santiago():
    utc = ZoneInfo("UTC")
    start = at(2026, 11, 3, 10).astimezone(utc)
    assert business_duration(start, start + hours(2)) == hours(2)
    assert business_duration(start + hours(2), start) == timedelta(0)
    with pytest.raises(ValueError):
        business_duration(datetime(2026, 11, 3, 10), datetime(2026, 11, 3, 11))


# --- the words --------------------------------------------------------------------------------


# --- business_deadline (the response-time targets' due times) ----------------------------------


@pytest.mark.parametrize(
    ("start", "target", "due"),
    [
        # Within the day.
        (at(2026, 3, 23, 10), hours(4), at(2026, 3, 23, 14)),
        # Across the end of a business day: 16:00 + 4 h is 11:00 the next morning.
        (at(2026, 3, 23, 16), hours(4), at(2026, 3, 24, 11)),
        # Exactly at the close: the next morning at 9:00 plus the rest.
        (at(2026, 3, 23, 16), hours(2), at(2026, 3, 23, 18)),
        (at(2026, 3, 23, 18), hours(1), at(2026, 3, 24, 10)),
        # Across a weekend: Friday 16:00 + 4 h is Monday 11:00.
        (at(2026, 3, 27, 16), hours(4), at(2026, 3, 30, 11)),
        # Created on a Saturday night: counts from Monday at 9:00.
        (at(2026, 3, 28, 23, 30), hours(1, 30), at(2026, 3, 30, 10, 30)),
        # Across Fiestas Patrias (Friday 18-09-2026 and Saturday 19-09): Thursday 17:00 + 2 h
        # is Monday 21-09 at 10:00.
        (at(2026, 9, 17, 17), hours(2), at(2026, 9, 21, 10)),
        # Several business days: 18 h from Monday 9:00 is Tuesday 18:00.
        (at(2026, 3, 23, 9), hours(18), at(2026, 3, 24, 18)),
        # Zero: now in business hours, the next opening outside them.
        (at(2026, 3, 23, 12), hours(0), at(2026, 3, 23, 12)),
        (at(2026, 3, 23, 20), hours(0), at(2026, 3, 24, 9)),
    ],
)
def test_a_due_time_counts_only_business_hours(start, target, due):
    assert business_deadline(start, target) == due
    # And it is the inverse of business_duration.
    assert business_duration(start, business_deadline(start, target)) == target


def test_a_due_time_needs_an_aware_start_and_no_negative_duration():
    with pytest.raises(ValueError):
        business_deadline(datetime(2026, 3, 23, 10), hours(1))
    with pytest.raises(ValueError):
        business_deadline(at(2026, 3, 23, 10), -hours(1))


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (hours(0, 45), "45 min hábiles"),
        (hours(0, 0), "1 min hábiles"),
        (hours(3, 20), "3 h 20 min hábiles"),
        (hours(2), "2 h hábiles"),
        (hours(9), "1 día hábil"),
        (hours(11), "1 día hábil y 2 h"),
        (hours(11, 40), "1 día hábil y 3 h"),
        (hours(17, 45), "2 días hábiles"),
        (hours(20), "2 días hábiles y 2 h"),
    ],
)
def test_business_time_reads_like_a_person_says_it(duration, words):
    assert business_time_words(duration) == words


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (hours(0, 45), "45 min"),
        (hours(3, 20), "3 h 20 min"),
        (hours(2), "2 h"),
        (hours(9), "1 d"),
        (hours(11, 40), "1 d 3 h"),
        (hours(20), "2 d 2 h"),
    ],
)
def test_business_time_in_short_for_a_column_that_says_business_time(duration, words):
    # The agents' list: "vence (tiempo hábil)" in the header, "8 h 59 min" in the cell.
    assert business_time_words(duration, short=True) == words


# --- the median of an area ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def answered(area, created, first_response, clinic=None):
    ticket = TicketFactory(area=area, **({"clinic": clinic} if clinic else {}))
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, first_response_at=first_response)
    return ticket


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_the_median_is_the_hand_computed_one(portal_a, portal_b):
    # Eleven answered tickets of Soporte, of two clinics, written on a Monday at 10:00 and
    # answered after 10, 20, ..., 110 business minutes: the median is the sixth, 60 minutes.
    # One spans the weekend (written Friday 17:30, answered Monday 9:30: one hour).
    today = timezone.localtime(timezone.now(), SANTIAGO).date()
    day = today - timedelta(days=today.weekday() + 7)  # last week's Monday
    while not (is_business_day(day) and is_business_day(day - timedelta(days=3))):
        day -= timedelta(days=7)  # a Monday and a Friday before it without holidays
    monday = at(day.year, day.month, day.day, 10)
    for n, minutes in enumerate((10, 20, 30, 40, 50, 70, 80, 90, 100, 110)):
        clinic = (portal_a if n % 2 else portal_b).clinic
        answered("soporte", monday, monday + timedelta(minutes=minutes), clinic)
    friday = monday - timedelta(days=3) + hours(7, 30)
    answered("soporte", friday, friday + timedelta(days=2, hours=16), portal_a.clinic)
    # Comercial, older than 30 days, and unanswered tickets do not count.
    answered("comercial", monday, monday + hours(8), portal_a.clinic)
    old = monday - timedelta(days=40)
    answered("soporte", old, old + hours(1, 5), portal_b.clinic)
    TicketFactory(area="soporte", clinic=portal_a.clinic)
    assert response_times.compute_typical_first_response("soporte") == hours(1)
    assert typical_first_response("soporte") == hours(1)
    assert typical_first_response("comercial") is None  # one answered ticket: fewer than 10


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_fewer_than_ten_answered_tickets_show_nothing(client_a, portal_a, portal_b):
    start = timezone.now() - timedelta(days=3)
    for _ in range(9):
        answered("soporte", start, start + hours(24), portal_b.clinic)
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, area="soporte")
    assert typical_first_response("soporte") is None
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Normalmente respondemos en" not in html


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_the_median_is_computed_once_every_few_minutes(
    portal_a, django_assert_num_queries, monkeypatch
):
    start = timezone.now() - timedelta(days=3)
    for _ in range(10):
        answered("comercial", start, start + hours(48), portal_a.clinic)
    with django_assert_num_queries(1):
        first = typical_first_response("comercial")
    with django_assert_num_queries(0):
        assert typical_first_response("comercial") == first
    with django_assert_num_queries(1):
        typical_first_response("soporte")  # keyed by area
    with django_assert_num_queries(0):
        assert typical_first_response("soporte") is None  # "not enough" is kept too
    assert response_times.CACHE_SECONDS <= 10 * 60


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_a_busy_area_takes_the_latest_answers_of_the_window(portal_a, portal_b, monkeypatch):
    monkeypatch.setattr(response_times, "MAX_SAMPLE", 11)
    start = timezone.now() - timedelta(days=20)
    for _ in range(6):  # older answers, slow: left out of the sample
        answered("soporte", start - timedelta(days=5), start, portal_b.clinic)
    for minutes in range(1, 12):  # the latest eleven: 1 to 11 minutes, median 6
        created = start + timedelta(days=1, minutes=minutes)
        answered("soporte", created, created + timedelta(minutes=minutes), portal_a.clinic)
    with monkeypatch.context() as patched:
        patched.setattr(response_times, "business_duration", lambda a, b: b - a)
        assert response_times.compute_typical_first_response("soporte") == timedelta(minutes=6)
