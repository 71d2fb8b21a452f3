"""Routes the read-only VetSync models to the ``vetsync`` alias and keeps them read-only.

The portal never writes to VetSync and never migrates it. The only writers are the demo
seed (on the embedded database) and the test factories, which open
:func:`vetsync_writes_allowed` explicitly.
"""

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


def is_vetsync_model(model: type[models.Model]) -> bool:
    return getattr(model, "vetsync_read_only", False)


class VetSyncRouter:
    def db_for_read(self, model, **hints):
        if is_vetsync_model(model):
            return VETSYNC_ALIAS
        return "default"

    def db_for_write(self, model, **hints):
        if is_vetsync_model(model):
            if not _writes_allowed.get():
                raise VetSyncWriteRefused(
                    f"The VetSync table {model._meta.db_table} is read-only for the portal."
                )
            return VETSYNC_ALIAS
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return is_vetsync_model(type(obj1)) == is_vetsync_model(type(obj2))

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == VETSYNC_ALIAS:
            return False
        model = hints.get("model")
        if model is not None and is_vetsync_model(model):
            return False
        return None
