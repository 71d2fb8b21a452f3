"""The VetSync contract tables, created only in the embedded demo database and the test database."""

from django.db import connections

from accounts.vetsync import VetSyncClinic, VetSyncUser
from vetsync_support.db_router import VETSYNC_ALIAS

VETSYNC_MODELS = (VetSyncClinic, VetSyncUser)


def create_vetsync_tables(alias: str = VETSYNC_ALIAS) -> list[str]:
    """Create the missing contract tables on ``alias``; return the names it created."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    missing = [model for model in VETSYNC_MODELS if model._meta.db_table not in existing]
    if missing:
        with connection.schema_editor() as editor:
            for model in missing:
                editor.create_model(model)
    return [model._meta.db_table for model in missing]
