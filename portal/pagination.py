"""Paging a clinic's history: pages of rows read by ``fetch(offset=, limit=)``
(``selectors.ticket_history_page``), counted from the kept counts or, for a search, not at all."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

Fetch = Callable[..., list]
MAX_SEARCH_PAGE = 400


@dataclass
class CountedRows:
    """What Django's ``Paginator`` pages: a known number of rows, read a slice at a time."""

    fetch: Fetch
    count: int

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        return self.fetch(offset=start, limit=stop - start) if stop > start else []


def counted_page(fetch: Fetch, count: int, number, per_page: int):
    return Paginator(CountedRows(fetch, count), per_page).get_page(number)  # type: ignore[arg-type]


class UncountedPage(Page):
    """A page of search results, without a paginator: no total (counting every match of a common
    word would read all of a clinic's tickets), only whether a next page exists."""

    def __init__(self, object_list: list, number: int, *, more: bool):
        super().__init__(object_list, number, paginator=None)  # type: ignore[arg-type]
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def uncounted_page(fetch: Fetch, number, per_page: int) -> UncountedPage:
    try:
        number = min(max(int(number), 1), MAX_SEARCH_PAGE)
    except (TypeError, ValueError):
        number = 1
    found = fetch(offset=(number - 1) * per_page, limit=per_page + 1)
    return UncountedPage(found[:per_page], number, more=len(found) > per_page)
