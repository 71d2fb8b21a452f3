"""The benchmark's loader writes reports_tickettiming as reports/services.py would have kept
it for the generated tickets (bench/generate.py, timing_rows): the met flags judged against
the due times the tickets' rows carry."""

from collections import Counter
from datetime import UTC, datetime

from bench import generate
from reports.services import business_seconds, local_day
from service_levels.due_times import target_met


def test_generated_timings_are_what_the_services_keep():
    plan = generate.Plan(total=300)
    tickets = [
        row.rstrip("\n").split("\t")
        for row in generate.ticket_rows(plan, clinics=5, mirrored_per_clinic=2, big_clinic=30)
    ]
    timings = [row.rstrip("\n").split("\t") for row in generate.timing_rows(plan)]
    assert len(timings) == len(tickets) == 300
    columns = [c.strip() for c in generate.TIMING_COLUMNS.split(",")]
    ticket_columns = [c.strip() for c in generate.TICKET_COLUMNS.split(",")]
    closed = 0
    judged: Counter = Counter()
    for ticket_row, timing_row in zip(tickets, timings, strict=True):
        ticket = dict(zip(ticket_columns, ticket_row, strict=True))
        timing = dict(zip(columns, timing_row, strict=True))
        assert timing["ticket_id"] == ticket["id"]
        assert (timing["clinic_id"], timing["area"]) == (ticket["clinic_id"], ticket["area"])
        assert timing["created_at"] == ticket["created_at"]
        assert timing["first_response_at"] == ticket["first_response_at"]
        assert timing["resolved_at"] == ticket["resolved_at"]
        is_closed = ticket["state"].startswith("cerrado")
        assert timing["is_open"] == ("f" if is_closed else "t")
        assert timing["closed_state"] == (ticket["state"] if is_closed else "")
        created = parse(ticket["created_at"])
        assert timing["created_day"] == local_day(created).isoformat()
        if ticket["first_response_at"] != generate.NULL:
            expected = business_seconds(created, parse(ticket["first_response_at"]))
            assert int(timing["first_response_seconds"]) == expected
            day = local_day(parse(ticket["first_response_at"])).isoformat()
            assert timing["first_response_day"] == day
        for kind, done, due in (
            ("first_response", "first_response_at", "first_response_due_at"),
            ("resolution", "resolved_at", "resolution_due_at"),
        ):
            met = target_met(parse(ticket[done]), parse(ticket[due]))
            assert timing[f"{kind}_met"] == {None: generate.NULL, True: "t", False: "f"}[met]
            judged[kind, met] += 1
        if is_closed:
            closed += 1
            expected = business_seconds(created, parse(ticket["resolved_at"]))
            assert int(timing["resolution_seconds"]) == expected
            assert timing["resolved_day"] == local_day(parse(ticket["resolved_at"])).isoformat()
    assert closed > 0
    # Met and missed both, for both kinds: the reports' share is neither 0 nor 100 %.
    assert all(
        judged[kind, met] for kind in ("first_response", "resolution") for met in (True, False)
    )


def parse(value: str) -> datetime | None:
    """A moment of a COPY row: ts()'s UTC text, or a due time's str(); None for NULL."""
    if value == generate.NULL:
        return None
    if value.endswith("+00"):
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S+00").replace(tzinfo=UTC)
    return datetime.fromisoformat(value)
