"""The clinic pages' hottest reads as plain parameterized SQL: building a queryset's SQL on
every request was most of their cost (measured: about 4 ms more for a ticket's page, 2-2.7 ms
more for a history page, against 0.3-0.6 ms of PostgreSQL time). Each is one statement, the
clinic's condition in its ``WHERE``, returning small typed rows; ``tests/tickets/test_sql.py``
compares each with its queryset on SQLite and PostgreSQL. Only fixed fragments with their own
placeholders, and a page's size formatted as an integer, are added to a statement: no value a
person sends is ever written into the SQL. Everything else reads through the ORM."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from accounts.models import person_display_name
from tickets.models import TicketEvent
from tickets.states import label_of
from vetsync_support.dates import utc_aware

# --- rows -------------------------------------------------------------------------------------

EXCERPT_LENGTH = 90  # of a latest response, in a list of tickets


class StateAndAreaLabels:
    """The guide's words for a row's state and area."""

    __slots__ = ()
    state: str
    area: str

    @property
    def state_label(self) -> str:
        return label_of(self.state)

    @property
    def area_label(self) -> str:
        return label_of(self.area)


@dataclass(frozen=True, slots=True)
class TicketRow(StateAndAreaLabels):
    """A line of the panel's latest tickets or of the history."""

    code: str
    state: str
    area: str
    created_at: datetime
    requester_name: str
    latest_response_text: str | None
    latest_response_at: datetime | None
    # "Nueva respuesta": a team response or change of state this user has not seen yet.
    has_news: bool = False

    @property
    def latest_response_excerpt(self) -> str:
        # The first 90 characters, the last an ellipsis if cut: Django's Truncator, which also
        # weighs combining characters, cost 1 ms of a history page's 4 (45 µs a row).
        text = self.latest_response_text or ""
        return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


@dataclass(frozen=True, slots=True)
class TicketText:
    """A response of the team."""

    created_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class TicketAdditionRow:
    """Information the clinic added to its ticket."""

    created_at: datetime
    text: str
    author_name: str


@dataclass(frozen=True, slots=True)
class TicketEventRow:
    created_at: datetime
    kind: str
    from_state: str
    to_state: str
    actor_name: str

    @property
    def kind_label(self) -> str:
        return str(TicketEvent.Kind(self.kind).label)

    @property
    def from_state_label(self) -> str:
        return label_of(self.from_state)

    @property
    def to_state_label(self) -> str:
        return label_of(self.to_state)


@dataclass(frozen=True, slots=True)
class TicketDetail(StateAndAreaLabels):
    """A ticket's page: the ticket, and what the clinic sees of its history."""

    id: int
    code: str
    state: str
    area: str
    detail: str
    created_at: datetime
    updated_at: datetime
    requester_name: str
    follows_up_code: str | None  # None too when the earlier ticket was deleted
    # The team's latest activity, and whether this user has not seen it yet (TicketSeen).
    last_team_activity_at: datetime | None = None
    has_news: bool = False
    events: tuple[TicketEventRow, ...] = ()
    responses: tuple[TicketText, ...] = ()
    additions: tuple[TicketAdditionRow, ...] = ()
    follow_up_codes: tuple[str, ...] = ()  # the visible later tickets that follow this one

    @property
    def has_responses(self) -> bool:
        return bool(self.responses)


_aware = utc_aware


def _aware_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _news(activity: datetime | None, seen: datetime | None) -> bool:
    """A team response or change of state after the last one the user saw."""
    return activity is not None and (seen is None or _aware(seen) < _aware(activity))


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- the panel's totals and the history's counts (TicketCount, kept by tickets/counts.py)

TOTALS = """
SELECT state, SUM(count)
FROM tickets_ticketcount
WHERE clinic_id = %s
GROUP BY state
"""


def state_totals(clinic_id: int) -> dict[str, int]:
    return {state: int(total) for state, total in _rows(TOTALS, [clinic_id])}


COUNT = """
SELECT COALESCE(SUM(count), 0)
FROM tickets_ticketcount
WHERE clinic_id = %s {filters}
"""


def history_count(clinic_id: int, *, state: str = "", area: str = "") -> int:
    filters, params = _filters(state=state, area=area)
    return int(_rows(COUNT.format(filters=filters), [clinic_id, *params])[0][0])


# --- the history's pages ------------------------------------------------------------------------

# A page's ids come from the clinic's index alone (newest first, filtered); only those rows are
# then joined with their requester, latest response and what the reader has seen of them (one
# unique-index lookup a row), so page 40 costs what page 1 costs. The page's size is written in
# the statement: as a parameter, PostgreSQL's generic plan assumed a tenth of the clinic's
# tickets (cost 442 against 226 for page 1 at 1,000,000 tickets), so it planned the page again
# on every request; with the size written, the prepared statement keeps its generic plan.
PAGE = """
SELECT t.code, t.state, t.area, t.created_at,
       u.full_name, u.first_name, u.last_name, u.username,
       r.text, r.created_at,
       t.last_team_activity_at, s.seen_activity_at
FROM tickets_ticket t
JOIN accounts_user u ON u.id = t.requester_id
LEFT JOIN tickets_ticketresponse r ON r.id = t.latest_response_id
LEFT JOIN tickets_ticketseen s ON s.ticket_id = t.id AND s.user_id = %s
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.id IN (
    SELECT id
    FROM tickets_ticket
    WHERE clinic_id = %s AND deleted_at IS NULL {filters}
    ORDER BY created_at DESC, id DESC
    LIMIT {limit:d} OFFSET %s
)
ORDER BY t.created_at DESC, t.id DESC
"""

STATE_FILTER = "AND state = %s"
REQUESTER_FILTER = "AND requester_id = %s"
AREA_FILTER = "AND area = %s"
CODE_PREFIX_FILTER = "AND code LIKE %s ESCAPE '\\'"
# One per word. PostgreSQL answers it from the trigram index on LOWER(detail) (migration 0008):
# ILIKE lowers both sides too, but its planning lowered the index's sampled texts on every
# search (0.33 ms against 0.13 ms on the bench's million tickets). SQLite's LIKE already
# ignores the case of ASCII letters.
WORD_FILTER = {
    "postgresql": "AND LOWER(detail) LIKE LOWER(%s)",
    "sqlite": "AND detail LIKE %s ESCAPE '\\'",
}


def history_page(
    clinic_id: int, *, reader_id: int | None, offset: int, limit: int, **given: Any
) -> list[TicketRow]:
    """A page of the clinic's history, newest first, filtered (``_filters``): one statement.
    ``reader_id`` is the user whose unseen team activity is marked (``has_news``)."""
    filters, params = _filters(**given)
    sql = PAGE.format(filters=filters, limit=limit)
    rows = _rows(sql, [reader_id, clinic_id, clinic_id, *params, offset])
    return [
        TicketRow(
            code,
            state,
            area,
            _aware(created),
            person_display_name(*names),
            text,
            _aware_or_none(responded),
            _news(activity, seen),
        )
        for code, state, area, created, *names, text, responded, activity, seen in rows
    ]


# --- the history's export (tickets/export.py) -------------------------------------------------

# The export reads the history with the same filters, a page of rows at a time, each page
# after the last row of the one before (keyset on the clinic's index, newest first): a page
# near the end costs what the first one costs, and only one page is ever in memory. The page's
# ids are a derived table, read once: as ``t.id IN (…)`` (the history's shape), PostgreSQL
# with statistics not yet gathered after a bulk load read the subquery again for each of the
# clinic's tickets (12 s a page for 50,000 tickets, against 2-6 ms this way).
EXPORT_PAGE = """
SELECT t.id, t.code, t.state, t.area, t.created_at, t.detail,
       u.full_name, u.first_name, u.last_name, u.username,
       r.text, r.created_at
FROM (
    SELECT id
    FROM tickets_ticket
    WHERE clinic_id = %s AND deleted_at IS NULL {filters}
    ORDER BY created_at DESC, id DESC
    LIMIT %s
) page
JOIN tickets_ticket t ON t.id = page.id
JOIN accounts_user u ON u.id = t.requester_id
LEFT JOIN tickets_ticketresponse r ON r.id = t.latest_response_id
WHERE t.clinic_id = %s
ORDER BY t.created_at DESC, t.id DESC
"""
AFTER_FILTER = "AND (created_at, id) < (%s, %s)"


@dataclass(frozen=True, slots=True)
class ExportRow(StateAndAreaLabels):
    """A line of the history's export: a ticket with its detail and latest response."""

    id: int
    code: str
    state: str
    area: str
    created_at: datetime
    detail: str
    requester_name: str
    latest_response_text: str | None
    latest_response_at: datetime | None


def export_page(
    clinic_id: int, *, after: tuple[datetime, int] | None = None, limit: int, **given: Any
) -> list[ExportRow]:
    """Up to ``limit`` of the clinic's tickets, newest first, filtered as the history is,
    older than ``after`` (the last row of the page before): one statement."""
    filters, params = _filters(**given)
    if after is not None:
        filters += f" {AFTER_FILTER}"
        params += [connection.ops.adapt_datetimefield_value(after[0]), after[1]]
    rows = _rows(EXPORT_PAGE.format(filters=filters), [clinic_id, *params, limit, clinic_id])
    return [
        ExportRow(
            pk,
            code,
            state,
            area,
            _aware(created),
            detail,
            person_display_name(*names),
            text,
            _aware_or_none(responded),
        )
        for pk, code, state, area, created, detail, *names, text, responded in rows
    ]


def _filters(
    *,
    state: str = "",
    area: str = "",
    requester_id: int | None = None,
    code_prefix: str = "",
    words: tuple[str, ...] = (),
) -> tuple[str, list]:
    """The history's filters given (state, area, requester, a code's beginning, words of the
    detail), as their fixed fragments and the fragments' values."""
    like = connection.ops.prep_for_like_query
    chosen = [
        (STATE_FILTER, state),
        (AREA_FILTER, area),
        (REQUESTER_FILTER, requester_id),
        (CODE_PREFIX_FILTER, code_prefix and f"{like(code_prefix)}%"),
        *((WORD_FILTER[connection.vendor], f"%{like(word)}%") for word in words),
    ]
    chosen = [(fragment, value) for fragment, value in chosen if value not in ("", None)]
    return " ".join(fragment for fragment, _value in chosen), [value for _f, value in chosen]


# "Mis tickets": the kept counts are per clinic, area and state, not per requester, so one
# requester's tickets are counted directly, on the requester's index (ticket_requester_visible_idx).
REQUESTER_COUNT = """
SELECT COUNT(*)
FROM tickets_ticket
WHERE clinic_id = %s AND deleted_at IS NULL {filters}
"""


def history_requester_count(clinic_id: int, *, requester_id: int, **given: Any) -> int:
    filters, params = _filters(requester_id=requester_id, **given)
    return int(_rows(REQUESTER_COUNT.format(filters=filters), [clinic_id, *params])[0][0])


# --- a ticket's page ------------------------------------------------------------------------------

# Everything the ticket's page shows of the core, in one statement: the ticket's row (part 0),
# then the changes the clinic sees (TicketEvent.CLINIC_VISIBLE_KINDS, part 1), the team's
# responses (2), the clinic's additions (3) and the later tickets that follow this one (4), each
# oldest first. The parts share the ticket's columns (a part's moment, text or kind, states and
# person where the ticket has its creation, code, state, area and requester) and leave the
# others empty: joined to the ticket instead, its columns, its detail among them, would come
# again on every row. Each part finds the ticket by the clinic's condition and its unique code.
# The features' tables are not read here: the clinic's page (portal/views.py) composes their reads.
TICKET_PAGE = """
SELECT 0 AS part, t.id AS id, t.created_at AS created_at, t.code, t.state, t.area,
       u.full_name, u.first_name, u.last_name, u.username,
       t.detail, t.updated_at, f.code, f.deleted_at, t.last_team_activity_at, s.seen_activity_at
FROM tickets_ticket t
JOIN accounts_user u ON u.id = t.requester_id
LEFT JOIN tickets_ticket f ON f.id = t.follows_up_id
LEFT JOIN tickets_ticketseen s ON s.ticket_id = t.id AND s.user_id = %s
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.code = %s
UNION ALL
SELECT 1, e.id, e.created_at, e.kind, e.from_state, e.to_state,
       u.full_name, u.first_name, u.last_name, u.username,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM tickets_ticketevent e
JOIN tickets_ticket t ON t.id = e.ticket_id
LEFT JOIN accounts_user u ON u.id = e.actor_id
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.code = %s AND e.kind IN (%s, %s, %s, %s)
UNION ALL
SELECT 2, r.id, r.created_at, r.text, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM tickets_ticketresponse r
JOIN tickets_ticket t ON t.id = r.ticket_id
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.code = %s
UNION ALL
SELECT 3, a.id, a.created_at, a.text, NULL, NULL,
       u.full_name, u.first_name, u.last_name, u.username,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM tickets_ticketaddition a
JOIN tickets_ticket t ON t.id = a.ticket_id
JOIN accounts_user u ON u.id = a.author_id
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.code = %s
UNION ALL
SELECT 4, n.id, n.created_at, n.code, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM tickets_ticket n
JOIN tickets_ticket t ON t.id = n.follows_up_id
WHERE t.clinic_id = %s AND t.deleted_at IS NULL AND t.code = %s
  AND n.clinic_id = t.clinic_id AND n.deleted_at IS NULL
ORDER BY part, created_at, id
"""  # e.kind IN: the four TicketEvent.CLINIC_VISIBLE_KINDS
EVENT, RESPONSE, ADDITION, FOLLOW_UP = 1, 2, 3, 4


def ticket_detail(
    clinic_id: int, code: str, *, reader_id: int | None = None
) -> TicketDetail | None:
    """The clinic's visible ticket with this code and what its page shows of the core, or None:
    one statement."""
    where = [clinic_id, code]
    params = [reader_id, *where, *where, *TicketEvent.CLINIC_VISIBLE_KINDS, *where * 3]
    rows = _rows(TICKET_PAGE, params)
    if not rows:
        return None
    (_part, pk, created, code, state, area, *names), rest = rows[0][:10], rows[0][10:]
    detail, updated, follows_up, follows_up_deleted_at, activity, seen = rest
    parts: dict[int, list[tuple]] = {EVENT: [], RESPONSE: [], ADDITION: [], FOLLOW_UP: []}
    for row in rows[1:]:
        parts[row[0]].append(row)
    return TicketDetail(
        pk,
        code,
        state,
        area,
        detail,
        _aware(created),
        _aware(updated),
        person_display_name(*names),
        follows_up if follows_up_deleted_at is None else None,
        _aware_or_none(activity),
        _news(activity, seen),
        events=tuple(_event(*row[2:10]) for row in parts[EVENT]),
        responses=tuple(TicketText(_aware(row[2]), row[3]) for row in parts[RESPONSE]),
        additions=tuple(
            TicketAdditionRow(_aware(row[2]), row[3], person_display_name(*row[6:10]))
            for row in parts[ADDITION]
        ),
        follow_up_codes=tuple(row[3] for row in parts[FOLLOW_UP]),
    )


def _event(at: datetime, kind: str, from_state: str, to_state: str, *names) -> TicketEventRow:
    # An event without an actor has no name (its username is None).
    actor = "" if names[-1] is None else person_display_name(*names)
    return TicketEventRow(_aware(at), kind, from_state, to_state, actor)
