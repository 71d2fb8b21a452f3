"""The history's SQL, compiled once per combination of filters (its *shape*).

``tickets/selectors.py`` runs these; a page's ids come from the index alone, and a search's
ids are planned for its own words each time.
"""

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

import tickets.lookups  # noqa: F401 (registers __ilike_contains)
from tickets.count_models import TicketCount
from tickets.models import Ticket
from tickets.rows import ROW_COLUMNS
from vetsync_support.compiled_queries import CompiledQuery, LikeText, Limit, Offset, Text, Value


def visible_by_id(clinic_id) -> QuerySet[Ticket]:
    return Ticket.objects.filter(clinic_id=clinic_id, deleted_at__isnull=True)


@dataclass(frozen=True)
class HistoryShape:
    """Which filters a history query has: each shape is compiled once."""

    state: bool
    area: bool
    words: int
    code_prefix: bool

    @classmethod
    def of(cls, filters) -> "HistoryShape":
        return cls(
            bool(filters.state), bool(filters.area), len(filters.words), filters.is_code_prefix
        )

    def markers(self) -> dict:
        markers = {"clinic": Value(0)}
        if self.state:
            markers["state"] = Text(1)
        if self.area:
            markers["area"] = Text(2)
        for n in range(self.words):
            markers[f"word{n}"] = LikeText(10 + n)
        return markers

    def filtered(self, clinic, **values) -> QuerySet[Ticket]:
        tickets = visible_by_id(clinic)
        if self.state:
            tickets = tickets.filter(state=values["state"])
        if self.area:
            tickets = tickets.filter(area=values["area"])
        if self.code_prefix:
            tickets = tickets.filter(code__startswith=values["word0"])
        else:
            for n in range(self.words):
                tickets = tickets.filter(detail__ilike_contains=values[f"word{n}"])
        return tickets.order_by("-created_at", "-id")

    def page_query(self, clinic, offset, limit, **values) -> QuerySet:
        # The page's ids come from the index alone, as a subquery; only those rows are joined
        # with their requester and latest response (page 40 costs what page 1 costs).
        ids = self.filtered(clinic, **values).values("pk")[offset : offset + limit]
        return (
            visible_by_id(clinic)
            .filter(pk__in=ids)
            .order_by("-created_at", "-id")
            .values_list(*ROW_COLUMNS)
        )


HISTORY_PAGES: dict[HistoryShape, CompiledQuery] = {}
SEARCH_IDS: dict[HistoryShape, CompiledQuery] = {}
ROWS_BY_IDS: dict[int, CompiledQuery] = {}


def history_page_query(shape: HistoryShape) -> CompiledQuery:
    query = HISTORY_PAGES.get(shape)
    if query is None:
        query = HISTORY_PAGES[shape] = CompiledQuery(
            shape.page_query, offset=Offset, limit=Limit, **shape.markers()
        )
    return query


def search_ids_query(shape: HistoryShape) -> CompiledQuery:
    query = SEARCH_IDS.get(shape)
    if query is None:
        query = SEARCH_IDS[shape] = CompiledQuery(
            lambda clinic, offset, limit, **values: shape.filtered(clinic, **values).values_list(
                "pk"
            )[offset : offset + limit],
            offset=Offset,
            limit=Limit,
            **shape.markers(),
        )
    return query


def rows_by_ids_query(count: int) -> CompiledQuery:
    query = ROWS_BY_IDS.get(count)
    if query is None:
        query = ROWS_BY_IDS[count] = CompiledQuery(
            lambda clinic, **ids: (
                visible_by_id(clinic)
                .filter(pk__in=list(ids.values()))
                .order_by("-created_at", "-id")
                .values_list(*ROW_COLUMNS)
            ),
            clinic=Value(0),
            **{f"id{n}": Value(100 + n) for n in range(count)},
        )
    return query


def count_query(state: bool, area: bool) -> CompiledQuery:
    def build(clinic, state=None, area=None):
        counts = TicketCount.objects.filter(clinic_id=clinic)
        if state is not None:
            counts = counts.filter(state=state)
        if area is not None:
            counts = counts.filter(area=area)
        return counts.order_by().values("clinic").annotate(n=Sum("count")).values_list("n")

    markers = {"clinic": Value(0)}
    if state:
        markers["state"] = Text(1)
    if area:
        markers["area"] = Text(2)
    return CompiledQuery(build, **markers)


HISTORY_COUNTS = {(s, a): count_query(s, a) for s in (False, True) for a in (False, True)}
