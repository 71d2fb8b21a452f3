"""Paging a clinic's history deep into its tickets without joining the rows it skips.

The page's ids come from the index alone (``OFFSET`` over ids, a subquery), and only those
rows are read with their requester and latest response, in the same query: page 40 costs
about what page 1 costs. ``rows(ids)`` gives the listed rows of those ids, in order.
"""

from django.core.paginator import Page, Paginator


class DeferredJoinPaginator(Paginator):
    """``count``, when the caller already knows it (tickets/count_models.py), saves counting
    the rows."""

    def __init__(self, object_list, per_page, *, rows, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(list(self.rows(ids=ids)) if top > bottom else [], number, self)


class UncountedPage:
    """A page of search results: no total (counting every match of a common word would read
    all of a clinic's tickets), only whether a next page exists."""

    paginator = None

    def __init__(self, object_list, number: int, has_next: bool):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


MAX_SEARCH_PAGE = 400


def uncounted_page(queryset, number, per_page: int, *, rows) -> UncountedPage:
    try:
        number = min(max(int(number), 1), MAX_SEARCH_PAGE)
    except (TypeError, ValueError):
        number = 1
    bottom = (number - 1) * per_page
    found = list(rows(ids=queryset.values("pk")[bottom : bottom + per_page + 1]))
    return UncountedPage(found[:per_page], number, has_next=len(found) > per_page)
