"""E-mail tasks queued as "tickets.tasks.send_notification" (the release before notifications had
their own app) are renamed to the task's address, so the worker finds them without a module of
that name in the ticket core. Only rows still waiting change; the rest are history."""

from django.db import migrations

OLD_PATH = "tickets.tasks.send_notification"
NEW_PATH = "notifications.tasks.send_notification"


def rename_waiting_tasks(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=OLD_PATH, status="READY").update(task_path=NEW_PATH)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename_waiting_tasks, migrations.RunPython.noop)]
