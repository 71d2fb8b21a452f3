"""The old address of the e-mail task, kept for the tasks queued before notifications moved to
their own app. django-tasks-db stores a task by its dotted path and the worker imports that
path to run it, so a task queued as "tickets.tasks.send_notification" (by the release before
the move, or by an app server still running it during a deploy) runs through this name.
Remove this module once no such task is waiting:
DBTaskResult.objects.filter(task_path="tickets.tasks.send_notification", status="READY")."""

from notifications.tasks import send_notification

__all__ = ["send_notification"]
