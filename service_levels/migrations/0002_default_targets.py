from decimal import Decimal
from importlib import import_module

from django.db import migrations

sync_agents_group = import_module("tickets.migrations.0003_agents_group").sync_agents_group

# A starting point the team edits in the admin: Soporte answered within half a business day
# and closed within two; Comercial answered within one and closed within three.
DEFAULTS = {
    "soporte": (Decimal("4.0"), Decimal("18.0")),
    "comercial": (Decimal("9.0"), Decimal("27.0")),
}


def add_default_targets(apps, schema_editor):
    ResponseTarget = apps.get_model("service_levels", "ResponseTarget")
    for area, (first_response, resolution) in DEFAULTS.items():
        ResponseTarget.objects.get_or_create(
            area=area,
            defaults={"first_response_hours": first_response, "resolution_hours": resolution},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("service_levels", "0001_initial"),
        ("notices", "0002_agents_permissions"),
    ]

    operations = [
        migrations.RunPython(add_default_targets, migrations.RunPython.noop),
        migrations.RunPython(sync_agents_group, migrations.RunPython.noop),
    ]
