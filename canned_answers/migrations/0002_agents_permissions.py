from importlib import import_module

from django.db import migrations

# The "Agentes" group gets its permissions on canned answers (tickets/agents.py) now that they
# exist.
sync_agents_group = import_module("tickets.migrations.0003_agents_group").sync_agents_group


class Migration(migrations.Migration):
    dependencies = [
        ("canned_answers", "0001_initial"),
        ("service_levels", "0002_default_targets"),
    ]

    operations = [migrations.RunPython(sync_agents_group, migrations.RunPython.noop)]
