"""Installed libraries' apps under Spanish names in the agents' desk (the admin's index)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Bloqueo de ingresos")


class TasksConfig(TasksAppConfig):
    # The library declares a plain str; a lazy translation is what AppConfig accepts.
    verbose_name = _("Tareas en segundo plano")  # type: ignore[assignment]


class PlumbingConfig(AppConfig):
    """The project's own plumbing as an app, for its management commands (makemessages)."""

    name = "vetsync_support"
    verbose_name = "VetSync"
