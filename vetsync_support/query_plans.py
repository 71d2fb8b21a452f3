"""The one kind of query that must not be prepared (settings' ``DATABASE_PREPARED_STATEMENTS``):
a search by words, where a rare word wants the trigram index and a common one the clinic's newest
tickets; one generic plan fits neither (measured: 48 ms instead of 1 ms for a common word)."""

from contextlib import contextmanager

from django.db import connections


@contextmanager
def planned_each_time(using: str = "default"):
    """Queries inside are planned for their own values on PostgreSQL; elsewhere nothing changes."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = previous
