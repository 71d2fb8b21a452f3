"""Target met, the one definition (service_levels.due_times.target_met): done at or before the
ticket's due moment. The desk's target lines and the reports' met flags both ask it."""

from datetime import UTC, datetime, timedelta

import pytest

from service_levels.business_hours import SANTIAGO
from service_levels.due_times import target_lines, target_met
from tickets.models import Ticket
from tickets.states import State

DUE = datetime(2026, 10, 14, 18, 0, tzinfo=SANTIAGO)  # a Wednesday, the end of business hours


@pytest.mark.parametrize(
    ("done_at", "due_at", "met"),
    [
        (DUE - timedelta(hours=1), DUE, True),
        (DUE, DUE, True),  # at the due moment: met
        (DUE + timedelta(seconds=1), DUE, False),
        # 20:00: no business time passed since 18:00, and it is late all the same.
        (DUE + timedelta(hours=2), DUE, False),
        (None, DUE, None),  # not done yet: nothing to judge
        (DUE, None, None),  # no due time: the area had no target
        (None, None, None),
    ],
)
def test_target_met_is_done_by_the_due_moment(done_at, due_at, met):
    assert target_met(done_at, due_at) is met


def test_moments_are_compared_whatever_their_time_zone():
    # The database gives UTC, the due times are placed in America/Santiago.
    assert target_met(DUE.astimezone(UTC), DUE) is True
    assert target_met((DUE + timedelta(seconds=1)).astimezone(UTC), DUE) is False


@pytest.mark.parametrize("answered_at", [DUE - timedelta(minutes=1), DUE, DUE + timedelta(hours=2)])
def test_the_ticket_page_marks_missed_what_target_met_says_missed(answered_at):
    ticket = Ticket(
        state=State.EN_PROCESO,
        first_response_due_at=DUE,
        first_response_at=answered_at,
        resolution_due_at=DUE + timedelta(days=2),
        resolved_at=None,
    )
    first_response, resolution = target_lines(ticket, now=DUE + timedelta(days=1))
    assert first_response.passed is (not target_met(answered_at, DUE))
    assert not resolution.passed  # not closed, not due yet
