"""A safety net for a worker that was down (or a backend that cannot wait); run from cron."""

from django.core.management.base import BaseCommand

from notifications.services import notification_requeue_due


class Command(BaseCommand):
    help = "Queue again the pending e-mail notifications whose next attempt is due."

    def handle(self, *args, **options):
        self.stdout.write(f"{notification_requeue_due()} notification(s) queued.")
