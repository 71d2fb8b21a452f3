from importlib import import_module

from django.db import migrations

# The "Agentes" group gets its permissions on notices (tickets/agents.py) now that they exist.
sync_agents_group = import_module("tickets.migrations.0003_agents_group").sync_agents_group


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("tickets", "0003_agents_group"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_agents_group, migrations.RunPython.noop)]
