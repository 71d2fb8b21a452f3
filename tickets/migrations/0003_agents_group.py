from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync_agents_group(apps, schema_editor):
    """Create (or bring up to date) the "Agentes" group with exactly the agents' permissions."""
    from accounts.agents import AGENTS_GROUP, agent_permission_codenames

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    wanted = []
    for app_label, codename in agent_permission_codenames():
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:  # a model added by a later migration syncs again there
            wanted.append(permission)
    group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_ticket_notes"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_agents_group, migrations.RunPython.noop)]
