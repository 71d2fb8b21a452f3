"""Prepared statements, and the one kind of query that must not use them.

With ``DATABASE_PREPARED_STATEMENTS`` (settings), psycopg prepares a query run five times on a
connection, and PostgreSQL may then reuse one generic plan for it. That is right for the
portal's reads by clinic, id or code, and wrong for a search by words: a rare word is best
found through the trigram index, a common one by walking the clinic's newest tickets, and a
generic plan cannot tell them apart (measured: 48 ms instead of 1 ms for a common word).
"""

from contextlib import contextmanager

from django.db import connections


@contextmanager
def planned_each_time(using: str = "default"):
    """Queries run inside are not prepared: PostgreSQL plans each one for its own values.
    Elsewhere, and on SQLite, nothing changes."""
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
