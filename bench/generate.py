"""The generated tickets, as COPY text rows, streamed: nothing goes through the ORM.

Tickets are numbered 1..N in creation order over about two years of days (America/Santiago,
08:00-20:00 local, fewer on weekends), each day's codes numbered 1, 2, 3... in that order.
Every ``step``-th ticket belongs to the big clinic (id 1); the others to a random clinic.
Exactly half (the even-numbered ones) have a published team response. One pass writes the
tickets and keeps, in compact arrays, what the responses and events passes need.
"""

import datetime
import random
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bench.texts import detail_pool, response_pool
from service_levels.business_hours import business_deadline

SANTIAGO = ZoneInfo("America/Santiago")
DAYS = 730
WINDOW = 12 * 3600  # tickets arrive between 08:00 and 20:00 local time
STATES = (
    "abierto",
    "en_proceso",
    "cerrado_resuelto",
    "cerrado_con_problema",
    "cerrado_responsabilidad_cliente",
)
CLOSED = frozenset({2, 3, 4})
# State weights (indexes into STATES) by age and by whether the team responded.
RECENT_ANSWERED = (0, 45, 40, 8, 7)
RECENT_UNANSWERED = (70, 30, 0, 0, 0)
OLD_ANSWERED = (0, 3, 75, 12, 10)
OLD_UNANSWERED = (4, 4, 50, 10, 32)
RECENT_DAYS = 14
OPEN = frozenset({0, 1})
# The response-time targets the freshly migrated database has (service_levels migration 0002,
# tests/bench/test_due_times.py keeps them equal), in business hours.
TARGET_HOURS = {"soporte": (4.0, 18.0), "comercial": (9.0, 27.0)}
NULL = "\\N"  # COPY text format's NULL


def ts(epoch: float) -> str:
    """A COPY text timestamptz in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(epoch))


@dataclass
class Plan:
    """What the tickets pass leaves for the responses and events passes."""

    total: int
    big_clinic_total: int = 0
    responses: int = 0
    created: array = field(default_factory=lambda: array("d"))
    responded_at: array = field(default_factory=lambda: array("d"))  # 0: no response
    changed_at: array = field(default_factory=lambda: array("d"))  # 0: never moved
    state: array = field(default_factory=lambda: array("b"))
    requester: array = field(default_factory=lambda: array("l"))
    clinic: array = field(default_factory=lambda: array("l"))
    comercial: array = field(default_factory=lambda: array("b"))  # 1: área Comercial
    # The due times written to the tickets, as epochs: timing_rows judges the targets by them.
    first_response_due: array = field(default_factory=lambda: array("d"))
    resolution_due: array = field(default_factory=lambda: array("d"))
    day_last_number: dict[datetime.date, int] = field(default_factory=dict)


def day_counts(total: int, now: datetime.datetime) -> list[tuple[datetime.date, float, int, int]]:
    """(day, local 08:00 as epoch, window seconds, tickets) for each day of the period."""
    today = now.date()
    days = []
    for back in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=back)
        start = datetime.datetime.combine(day, datetime.time(8), tzinfo=SANTIAGO).timestamp()
        window = WINDOW
        if back == 0:  # today: only up to a minute ago
            window = min(WINDOW, int(now.timestamp() - start) - 60)
            if window < 600:
                continue
        weight = {5: 0.5, 6: 0.25}.get(day.weekday(), 1.0) * window / WINDOW
        days.append((day, start, window, weight))
    scale = total / sum(d[3] for d in days)
    counts = [int(d[3] * scale) for d in days]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return [(d[0], d[1], d[2], n) for d, n in zip(days, counts, strict=True)]


def ticket_rows(
    plan: Plan, *, clinics: int, mirrored_per_clinic: int, big_clinic: int, seed: int = 1
) -> Iterator[str]:
    """COPY rows of tickets_ticket, in id order; fills ``plan``."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    details = detail_pool()
    areas = ["comercial" if d.startswith("Área comercial") else "soporte" for d in details]
    step = max(1, plan.total // big_clinic)
    now = datetime.datetime.now(SANTIAGO)
    now_epoch = now.timestamp() - 30
    weights = {}
    for key, value in (
        ((True, True), RECENT_ANSWERED),
        ((True, False), RECENT_UNANSWERED),
        ((False, True), OLD_ANSWERED),
        ((False, False), OLD_UNANSWERED),
    ):
        weights[key] = [i for i, w in enumerate(value) for _ in range(w)]
    targets = {
        area: (datetime.timedelta(hours=first), datetime.timedelta(hours=resolution))
        for area, (first, resolution) in TARGET_HOURS.items()
    }
    ticket_id = 0
    for day, start, window, count in day_counts(plan.total, now):
        recent = (now.date() - day).days < RECENT_DAYS
        code_prefix = f"ST-{day:%Y%m%d}-"
        offsets = sorted(rng.randrange(window) for _ in range(count))
        for number, offset in enumerate(offsets, start=1):
            ticket_id += 1
            j = ticket_id - 1
            if j % step == 0 and plan.big_clinic_total < big_clinic:
                clinic = 1
                plan.big_clinic_total += 1
            else:
                clinic = rng.randrange(2, clinics + 1)
            requester = (clinic - 1) * mirrored_per_clinic + rng.randrange(mirrored_per_clinic) + 1
            responded = j % 2 == 0
            state = rng.choice(weights[recent, responded])
            created = start + offset
            responded_at = changed_at = 0.0
            if responded:
                responded_at = min(created + rng.randint(600, 172_800), now_epoch)
            if state != 0:
                changed_at = min(max(created, responded_at) + rng.randint(300, 259_200), now_epoch)
                changed_at = max(changed_at, responded_at)
            updated = max(created, responded_at, changed_at)
            detail_index = rng.randrange(len(details))
            plan.created.append(created)
            plan.responded_at.append(responded_at)
            plan.changed_at.append(changed_at)
            plan.state.append(state)
            plan.requester.append(requester)
            plan.clinic.append(clinic)
            plan.comercial.append(areas[detail_index] == "comercial")
            if responded:
                plan.responses += 1
            # Due times as ticket_create sets them (service_levels/due_times.py): two
            # business-hours deadlines, ~50 µs a ticket on this machine (under load), ~50 s at
            # 1,000,000.
            created_at = datetime.datetime.fromtimestamp(created, datetime.UTC)
            first_target, resolution_target = targets[areas[detail_index]]
            first_due = business_deadline(created_at, first_target)
            resolution_due = business_deadline(created_at, resolution_target)
            plan.first_response_due.append(first_due.timestamp())
            plan.resolution_due.append(resolution_due.timestamp())
            next_due = NULL
            if state in OPEN:
                next_due = str(resolution_due if responded else first_due)
            team_activity = max(responded_at, changed_at)
            yield (
                f"{ticket_id}\t{code_prefix}{number:05d}\t{clinic}\t{requester}\t"
                f"{areas[detail_index]}\t{STATES[state]}\t{details[detail_index]}\t"
                f"{ts(created)}\t{ts(updated)}\t"
                f"{plan.responses if responded else NULL}\t"
                f"{ts(responded_at) if responded else NULL}\t"
                f"{ts(changed_at) if state in CLOSED else NULL}\t"
                f"{first_due}\t{resolution_due}\t{next_due}\t{'t' if responded else 'f'}\t"
                f"{ts(team_activity) if team_activity else NULL}\n"
            )
        if count:
            plan.day_last_number[day] = count


TICKET_COLUMNS = (
    "id, code, clinic_id, requester_id, area, state, detail, created_at, updated_at, "
    "latest_response_id, first_response_at, resolved_at, "
    "first_response_due_at, resolution_due_at, next_due_at, awaiting_clinic, "
    "last_team_activity_at"
)
RESPONSE_COLUMNS = "id, ticket_id, author_id, text, created_at"
EVENT_COLUMNS = "id, ticket_id, actor_id, kind, from_state, to_state, description, created_at"


def response_rows(plan: Plan, *, agent_id: int) -> Iterator[str]:
    """One response per responded ticket; ids in ticket order, as ticket_rows numbered them."""
    texts = response_pool()
    response_id = 0
    for index, responded_at in enumerate(plan.responded_at):
        if responded_at:
            response_id += 1
            text = texts[response_id % len(texts)]
            yield f"{response_id}\t{index + 1}\t{agent_id}\t{text}\t{ts(responded_at)}\n"


def event_rows(plan: Plan, *, agent_id: int) -> Iterator[str]:
    """``created`` for every ticket, ``response_published`` and ``state_changed`` where due."""
    event_id = 0
    for index, created in enumerate(plan.created):
        ticket_id = index + 1
        event_id += 1
        yield (
            f"{event_id}\t{ticket_id}\t{plan.requester[index]}\tcreated\t\tabierto\t\t"
            f"{ts(created)}\n"
        )
        responded_at, changed_at = plan.responded_at[index], plan.changed_at[index]
        if responded_at:
            event_id += 1
            yield (
                f"{event_id}\t{ticket_id}\t{agent_id}\tresponse_published\tabierto\tabierto\t\t"
                f"{ts(responded_at)}\n"
            )
        if changed_at:
            event_id += 1
            yield (
                f"{event_id}\t{ticket_id}\t{agent_id}\tstate_changed\tabierto\t"
                f"{STATES[plan.state[index]]}\t\t{ts(changed_at)}\n"
            )


def event_total(plan: Plan) -> int:
    return (
        len(plan.created)
        + sum(1 for t in plan.responded_at if t)
        + sum(1 for t in plan.changed_at if t)
    )


TIMING_COLUMNS = (
    "ticket_id, clinic_id, area, created_at, created_day, first_response_at, "
    "first_response_day, first_response_seconds, resolved_at, resolved_day, resolution_seconds, "
    "closed_state, is_open, first_response_met, resolution_met"
)


def timing_rows(plan: Plan) -> Iterator[str]:
    """reports_tickettiming (reports/models.py): what reports/services.py would have kept for
    each ticket, the business times measured by service_levels/business_hours.py and the
    targets judged by service_levels.due_times.target_met against the tickets' due times."""
    from service_levels.business_hours import business_duration
    from service_levels.due_times import target_met

    def at(epoch: float) -> datetime.datetime:
        # The whole seconds that ts() writes: the moments the tickets table holds.
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)

    def seconds(start: float, end: float) -> int:
        return int(business_duration(at(start), at(end)).total_seconds())

    def met(done: float, due: float) -> str:
        # The due time as ticket_rows wrote it: business_deadline's, in whole seconds.
        judged = target_met(at(done), datetime.datetime.fromtimestamp(due, datetime.UTC))
        return NULL if judged is None else "t" if judged else "f"

    def day(moment: float) -> str:
        return datetime.datetime.fromtimestamp(int(moment), SANTIAGO).date().isoformat()

    for index, created in enumerate(plan.created):
        responded_at, changed_at, state = (
            plan.responded_at[index],
            plan.changed_at[index],
            plan.state[index],
        )
        first = (
            f"{ts(responded_at)}\t{day(responded_at)}\t{seconds(created, responded_at)}"
            if responded_at
            else f"{NULL}\t{NULL}\t{NULL}"
        )
        closed = (
            f"{ts(changed_at)}\t{day(changed_at)}\t{seconds(created, changed_at)}\t{STATES[state]}"
            if state in CLOSED
            else f"{NULL}\t{NULL}\t{NULL}\t"
        )
        area = "comercial" if plan.comercial[index] else "soporte"
        is_open = "f" if state in CLOSED else "t"
        first_met = met(responded_at, plan.first_response_due[index]) if responded_at else NULL
        closed_met = met(changed_at, plan.resolution_due[index]) if state in CLOSED else NULL
        yield (
            f"{index + 1}\t{plan.clinic[index]}\t{area}\t{ts(created)}\t{day(created)}\t"
            f"{first}\t{closed}\t{is_open}\t{first_met}\t{closed_met}\n"
        )
