"""The "Agentes" group: exactly what an agent needs to answer tickets in the admin.

No user management, no deleting tickets, and nothing of VetSync's data (which the admin
does not expose at all).
"""

AGENTS_GROUP = "Agentes"

AGENT_PERMISSIONS = [
    ("tickets", "ticket", ["view", "change"]),
    ("tickets", "ticketresponse", ["view", "add"]),
    ("tickets", "ticketnote", ["view", "add"]),
    ("tickets", "ticketevent", ["view"]),
    ("tickets", "ticketaddition", ["view"]),
    ("notifications", "notification", ["view", "change"]),
    ("feedback", "feedback", ["view"]),
    ("accounts", "clinic", ["view"]),
    ("notices", "notice", ["view", "add", "change", "delete"]),
    ("service_levels", "responsetarget", ["view", "change"]),
    ("canned_answers", "cannedanswer", ["view", "add", "change", "delete"]),
    # Informes (reports/views.py): whoever may view the tickets' timings sees the reports.
    ("reports", "tickettiming", ["view"]),
]


def agent_permission_codenames() -> list[tuple[str, str]]:
    return [
        (app_label, f"{action}_{model}")
        for app_label, model, actions in AGENT_PERMISSIONS
        for action in actions
    ]
