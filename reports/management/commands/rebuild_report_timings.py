from django.core.management.base import BaseCommand

from reports.services import timings_rebuild


class Command(BaseCommand):
    help = (
        "Compute again every ticket's first-response and resolution times (Informes) and whether "
        "each met its target, from the tickets and their events: after a bulk load, or once for "
        "the tickets created before the reports existed."
    )

    def handle(self, *args, **options):
        rows = timings_rebuild()
        self.stdout.write(f"{rows} tickets.")
