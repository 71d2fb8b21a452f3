"""The "Agentes" group: exactly what an agent needs to answer tickets in the admin.

Each app declares its own part in its AppConfig (``agent_permissions``: model name → actions);
this module names no app. No user management, no deleting tickets, and nothing of VetSync's
data (which the admin does not expose at all).
"""

from django.apps import apps

AGENTS_GROUP = "Agentes"


def agent_permission_codenames() -> list[tuple[str, str]]:
    """(app label, codename) of every permission the group holds, from every installed app."""
    return [
        (config.label, f"{action}_{model}")
        for config in apps.get_app_configs()
        for model, actions in getattr(config, "agent_permissions", {}).items()
        for action in actions
    ]
