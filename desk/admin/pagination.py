"""The agents' ticket list pages a million rows without counting them all on every page:
unfiltered, the count is PostgreSQL's own estimate of the table's rows (kept by ANALYZE and
autovacuum); filtered or searched, it is counted up to a cap, so that one page never reads
more than the cap of index entries just to print a total."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset: QuerySet = self.object_list  # type: ignore[assignment]  # the admin's list
        connection = connections[queryset.db]
        if not queryset.query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [queryset.model._meta.db_table],
                )
                (estimate,) = cursor.fetchone() or (None,)
            # reltuples is -1 for a table never analyzed.
            if estimate is not None and estimate > COUNT_CAP:
                return int(estimate)
        return queryset.order_by()[: COUNT_CAP + 1].count()
