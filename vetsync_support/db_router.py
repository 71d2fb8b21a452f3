"""Routes the VetSync models to the ``vetsync`` alias, never migrated and read-only: only the demo
seed (embedded database) and the test factories write, inside :func:`vetsync_writes_allowed`."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

VETSYNC_ALIAS = "vetsync"

_writes_allowed: ContextVar[bool] = ContextVar("vetsync_writes_allowed", default=False)


class VetSyncWriteRefused(RuntimeError):
    """Raised when code tries to write to the read-only VetSync database."""


@contextmanager
def vetsync_writes_allowed() -> Iterator[None]:
    """Allow writes to the VetSync tables: only for the demo seed and the test factories."""
    token = _writes_allowed.set(True)
    try:
        yield
    finally:
        _writes_allowed.reset(token)


def is_vetsync_model(model: type[models.Model] | None) -> bool:
    return getattr(model, "vetsync_read_only", False)


class VetSyncRouter:
    def db_for_read(self, model, **hints):
        return VETSYNC_ALIAS if is_vetsync_model(model) else "default"

    def db_for_write(self, model, **hints):
        if is_vetsync_model(model) and not _writes_allowed.get():
            raise VetSyncWriteRefused(
                f"The VetSync table {model._meta.db_table} is read-only for the portal."
            )
        return self.db_for_read(model)

    def allow_relation(self, obj1, obj2, **hints):
        return is_vetsync_model(type(obj1)) == is_vetsync_model(type(obj2))

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == VETSYNC_ALIAS or is_vetsync_model(hints.get("model")) else None
