"""The worker removes the files kept for forms that were never sent (StagedFile), a day on."""

from datetime import timedelta

from django.core.files.storage import storages
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from attachments.limits import STAGED_FILE_LIFETIME
from attachments.models import StagedFile

# Run a little after the file's day is over, so that the file it was queued for is due.
MARGIN = timedelta(minutes=1)


def staged_files_expire_later() -> None:
    """Queue, at commit, the removal of the files kept now once their day is over. A backend
    that cannot wait (the immediate one, in tests) leaves them to the next queued removal."""

    def enqueue() -> None:
        if staged_files_expire.get_backend().supports_defer:
            run_after = timezone.now() + STAGED_FILE_LIFETIME + MARGIN
            staged_files_expire.using(run_after=run_after).enqueue()

    transaction.on_commit(enqueue, robust=True)


def staged_files_remove_unused() -> int:
    """Remove the kept files of forms not sent for STAGED_FILE_LIFETIME, rows and contents."""
    cutoff = timezone.now() - STAGED_FILE_LIFETIME
    storage = storages["attachments"]
    removed = 0
    for staged in StagedFile.objects.filter(created_at__lt=cutoff).iterator():
        # The row first: a file without its row can never be attached, whatever happens next.
        if StagedFile.objects.filter(pk=staged.pk).delete()[0]:
            storage.delete(staged.key)
            removed += 1
    return removed


@task
def staged_files_expire() -> int:
    return staged_files_remove_unused()
