from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The agents' desk in the admin: the tickets' pages, queues and actions, composed of the
    ticket core and the features (files, canned answers, due times)."""

    name = "desk"
    verbose_name = "Mesa de ayuda"
