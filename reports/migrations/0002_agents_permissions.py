from importlib import import_module

from django.db import migrations

sync_agents_group = import_module("tickets.migrations.0003_agents_group").sync_agents_group


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_ticket_timing"),
        ("service_levels", "0002_default_targets"),
    ]

    # The "Agentes" group gains reports.view_tickettiming: the Informes page (tickets/agents.py).
    operations = [migrations.RunPython(sync_agents_group, migrations.RunPython.noop)]
