"""Storing a ticket's files with the ticket or addition they came with, in one transaction,
and keeping the files of a form that came back (StagedFile) until it is sent."""

import uuid
from collections.abc import Sequence

from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from attachments.forms import CheckedFile
from attachments.limits import ALLOWED_TYPES, MAX_FILES
from attachments.models import Attachment, StagedFile
from attachments.tasks import staged_files_expire_later
from tickets import services as ticket_services
from tickets.models import Ticket, TicketAddition


def attachment_storage():
    return storages["attachments"]


def _columns(file: CheckedFile | StagedFile, key: str) -> dict:
    """A stored file's columns (models.StoredFile): its key and what was checked of it."""
    return {"key": key, "name": file.name, "size": file.size, "content_type": file.content_type}


def _stored(files: Sequence[CheckedFile]) -> list[dict]:
    """Each checked file's content put in the storage under a new random key: its columns. On
    an error the contents already saved are removed again."""
    storage = attachment_storage()
    saved: list[str] = []
    try:
        for checked in files:
            checked.file.seek(0)
            name = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[checked.content_type]}"
            saved.append(storage.save(name, checked.file))
    except BaseException:
        _remove_contents(saved)
        raise
    return [_columns(checked, key) for key, checked in zip(saved, files, strict=True)]


def _created(model, rows: list, stored: list[dict]) -> list:
    """The rows inserted; if they are not, the contents just stored go too."""
    try:
        return model.objects.bulk_create(rows)
    except BaseException:
        _remove_contents([columns["key"] for columns in stored])
        raise


def _over_the_limit() -> ticket_services.TicketError:
    return ticket_services.TicketError(
        _("Puede adjuntar hasta %(max)d archivos por ticket.") % {"max": MAX_FILES}
    )


def _remove_contents(keys: list[str]) -> None:
    storage = attachment_storage()
    for key in keys:
        storage.delete(key)


def attach_files(
    *,
    ticket: Ticket,
    uploaded_by: User,
    files: Sequence[CheckedFile],
    staged: Sequence[StagedFile] = (),
) -> list[Attachment]:
    """Store the checked files of a clinic's ticket, and move there the files the same form
    kept before (``staged``, its uploader's); on an error none is kept, not half."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.is_of(uploaded_by.clinic_id):
            raise ticket_services.TicketError(_("El ticket no pertenece a su clínica."))
        if Attachment.objects.filter(ticket=ticket).count() + len(files) + len(staged) > MAX_FILES:
            raise _over_the_limit()
        # A kept file goes to one ticket once: its row is taken, or the whole change refused.
        taken, _kinds = StagedFile.objects.filter(
            pk__in=[file.pk for file in staged], uploaded_by=uploaded_by
        ).delete()
        if taken != len(staged):
            raise ticket_services.TicketError(
                _("Uno de los archivos ya no está disponible: revise los archivos y envíe.")
            )
        stored = _stored(files)
        columns = [_columns(file, file.key) for file in staged] + stored
        rows = [Attachment(ticket=ticket, uploaded_by=uploaded_by, **each) for each in columns]
        return _created(Attachment, rows, stored)


def files_stage(
    *, user: User, submission_token: uuid.UUID, files: Sequence[CheckedFile]
) -> list[StagedFile]:
    """Keep the checked files of a form shown again, for that form's token and user only, within
    the files' limits; the worker removes them a day later if the form is never sent."""
    if not files:
        return []
    with transaction.atomic():
        kept = StagedFile.objects.filter(uploaded_by=user, submission_token=submission_token)
        if kept.count() + len(files) > MAX_FILES:
            raise _over_the_limit()
        stored = _stored(files)
        rows = [
            StagedFile(uploaded_by=user, submission_token=submission_token, **each)
            for each in stored
        ]
        staged = _created(StagedFile, rows, stored)
        staged_files_expire_later()
    return staged


def staged_file_drop(*, user: User, submission_token: uuid.UUID, pk: int) -> bool:
    """The clinic drops one file its form kept ("Quitar"); False if it is not that form's."""
    with transaction.atomic():
        staged = StagedFile.objects.filter(
            pk=pk, uploaded_by=user, submission_token=submission_token
        ).first()
        if staged is None:
            return False
        staged.delete()
        transaction.on_commit(lambda: attachment_storage().delete(staged.key), robust=True)
    return True


def ticket_create_with_files(
    *,
    clinic: Clinic,
    requester: User,
    files: Sequence[CheckedFile],
    staged: Sequence[StagedFile] = (),
    **ticket_fields,
) -> tuple[Ticket, bool]:
    """ticket_create and the files (new and kept); a form sent twice gets the first ticket,
    files stored once."""
    if not files and not staged:  # ticket_create is atomic itself: no savepoint inside another
        return ticket_services.ticket_create(clinic=clinic, requester=requester, **ticket_fields)
    with transaction.atomic():
        ticket, created = ticket_services.ticket_create(
            clinic=clinic, requester=requester, **ticket_fields
        )
        if created:
            attach_files(ticket=ticket, uploaded_by=requester, files=files, staged=staged)
    return ticket, created


def add_information_with_files(
    *,
    ticket: Ticket,
    author: User,
    text: str,
    files: Sequence[CheckedFile],
    staged: Sequence[StagedFile] = (),
    submission_token: uuid.UUID | None = None,
) -> tuple[TicketAddition, bool]:
    """ticket_add_information and the files (new and kept), stored once per submission token."""
    with transaction.atomic():
        addition, added = ticket_services.ticket_add_information(
            ticket=ticket, author=author, text=text, submission_token=submission_token
        )
        if added and (files or staged):
            attach_files(ticket=ticket, uploaded_by=author, files=files, staged=staged)
    return addition, added
