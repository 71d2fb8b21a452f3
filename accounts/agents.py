"""The "Agentes" group: what an agent needs to answer tickets in the admin, and no more. Each
app declares its part in its AppConfig (``agent_permissions``: model name → actions)."""

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
