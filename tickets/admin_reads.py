"""What the agents' ticket page reads, in SQL the ORM compiles once
(``vetsync_support/compiled_queries.py``): the ticket with the people and the clinic it shows,
its events, its responses and notes, and the agents it may be assigned to.

Each gives the same model instances the ORM's ``select_related`` would (the columns the page
uses loaded, the rest deferred); tests/tickets/test_admin_reads.py compares them.
"""

from django.db.models import Exists, OuterRef

from accounts.models import Clinic, User
from tickets.models import Ticket, TicketAddition, TicketEvent, TicketNote, TicketResponse
from vetsync_support.compiled_queries import CompiledQuery, Value, model_instance

PERSON = ("id", "username", "full_name", "first_name", "last_name")
TICKET = tuple(field.attname for field in Ticket._meta.concrete_fields)
CLINIC = tuple(field.attname for field in Clinic._meta.concrete_fields)
FOLLOWS_UP = ("id", "code")


def _columns(relation: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{relation}__{name}" for name in names)


_TICKET = CompiledQuery(
    lambda ticket: (
        Ticket.objects.filter(pk=ticket)
        .annotate(
            # Most tickets have neither: their queries are skipped.
            has_additions=Exists(TicketAddition.objects.filter(ticket=OuterRef("pk"))),
            has_notes=Exists(TicketNote.objects.filter(ticket=OuterRef("pk"))),
        )
        .values_list(
            *TICKET,
            *_columns("clinic", CLINIC),
            *_columns("requester", PERSON),
            *_columns("follows_up", FOLLOWS_UP),
            *_columns("deleted_by", PERSON),
            "has_additions",
            "has_notes",
        )
    ),
    ticket=Value(0),
)


def _split(row: tuple, *widths: int) -> list[tuple]:
    parts, start = [], 0
    for width in widths:
        parts.append(row[start : start + width])
        start += width
    return parts


def ticket_for_agents(*, pk: int) -> Ticket | None:
    """The ticket of this id, deleted or not, with its clinic, requester, previous ticket and
    who deleted it; ``has_additions`` and ``has_notes`` say whether those queries are needed."""
    found = _TICKET.rows(ticket=pk)
    if not found:
        return None
    ticket_row, clinic, requester, follows_up, deleted_by, flags = _split(
        found[0], len(TICKET), len(CLINIC), len(PERSON), len(FOLLOWS_UP), len(PERSON), 2
    )
    ticket = model_instance(Ticket, TICKET, ticket_row)
    ticket.clinic = model_instance(Clinic, CLINIC, clinic)
    ticket.requester = model_instance(User, PERSON, requester)
    ticket.follows_up = (
        model_instance(Ticket, FOLLOWS_UP, follows_up) if follows_up[0] is not None else None
    )
    ticket.deleted_by = (
        model_instance(User, PERSON, deleted_by) if deleted_by[0] is not None else None
    )
    ticket.has_additions, ticket.has_notes = flags
    return ticket


_EVENTS = CompiledQuery(
    lambda ticket: TicketEvent.objects.filter(ticket_id=ticket).values_list(
        "id",
        "created_at",
        "kind",
        "from_state",
        "to_state",
        "description",
        "actor_id",
        *_columns("actor", PERSON),
    ),
    ticket=Value(0),
)
_EVENT = ("id", "created_at", "kind", "from_state", "to_state", "description", "actor_id")


def ticket_events(*, ticket: Ticket) -> list[TicketEvent]:
    """Every event of the ticket, oldest first, with who did it."""
    events = []
    for row in _EVENTS.rows(ticket=ticket.pk):
        event_row, actor = _split(row, len(_EVENT), len(PERSON))
        event = model_instance(TicketEvent, _EVENT, event_row)
        event.actor = model_instance(User, PERSON, actor) if actor[0] is not None else None
        events.append(event)
    return events


def _texts_query(model) -> CompiledQuery:
    return CompiledQuery(
        lambda ticket: model.objects.filter(ticket_id=ticket).values_list(
            "id", "created_at", "text", "author_id", *_columns("author", PERSON)
        ),
        ticket=Value(0),
    )


_TEXT = ("id", "created_at", "text", "author_id")
_RESPONSES = _texts_query(TicketResponse)
_NOTES = _texts_query(TicketNote)


def _texts(query: CompiledQuery, model, ticket: Ticket) -> list:
    texts = []
    for row in query.rows(ticket=ticket.pk):
        text_row, author = _split(row, len(_TEXT), len(PERSON))
        text = model_instance(model, _TEXT, text_row)
        text.author = model_instance(User, PERSON, author)
        texts.append(text)
    return texts


def ticket_responses(*, ticket: Ticket) -> list[TicketResponse]:
    return _texts(_RESPONSES, TicketResponse, ticket)


def ticket_notes(*, ticket: Ticket) -> list[TicketNote]:
    return _texts(_NOTES, TicketNote, ticket)


_AGENTS = CompiledQuery(
    lambda: (
        User.objects.filter(is_staff=True, is_active=True, clinic__isnull=True)
        .order_by("full_name", "first_name", "last_name", "username", "id")
        .values_list(*PERSON)
    )
)


def assignable_agents() -> list[User]:
    """The agents a ticket may be assigned to (active staff of no clinic), by name."""
    return [model_instance(User, PERSON, row) for row in _AGENTS.rows()]
