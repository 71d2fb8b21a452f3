"""Storing a ticket's files with the ticket or addition they came with, in one transaction."""

import uuid

from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from attachments.forms import CheckedFile
from attachments.limits import ALLOWED_TYPES, MAX_FILES
from attachments.models import Attachment
from tickets import services as ticket_services
from tickets.models import Ticket, TicketAddition


def attachment_storage():
    return storages["attachments"]


def attach_files(
    *, ticket: Ticket, uploaded_by: User, files: list[CheckedFile]
) -> list[Attachment]:
    """Store the checked files of a clinic's ticket; on an error none is kept, not half."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.is_of(uploaded_by.clinic_id):
            raise ticket_services.TicketError(_("El ticket no pertenece a su clínica."))
        if Attachment.objects.filter(ticket=ticket).count() + len(files) > MAX_FILES:
            raise ticket_services.TicketError(
                _("Puede adjuntar hasta %(max)d archivos por ticket.") % {"max": MAX_FILES}
            )
        storage = attachment_storage()
        saved: list[str] = []
        try:
            for checked in files:
                checked.file.seek(0)
                name = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[checked.content_type]}"
                saved.append(storage.save(name, checked.file))
            attachments = Attachment.objects.bulk_create(
                Attachment(
                    ticket=ticket,
                    uploaded_by=uploaded_by,
                    key=key,
                    name=checked.name,
                    size=checked.size,
                    content_type=checked.content_type,
                )
                for key, checked in zip(saved, files, strict=True)
            )
        except BaseException:
            for key in saved:
                storage.delete(key)
            raise
    return attachments


def ticket_create_with_files(
    *, clinic: Clinic, requester: User, files: list[CheckedFile], **ticket_fields
) -> tuple[Ticket, bool]:
    """ticket_create and the files; a form sent twice gets the first ticket, files stored once."""
    if not files:  # ticket_create is atomic itself: no savepoint inside another transaction
        return ticket_services.ticket_create(clinic=clinic, requester=requester, **ticket_fields)
    with transaction.atomic():
        ticket, created = ticket_services.ticket_create(
            clinic=clinic, requester=requester, **ticket_fields
        )
        if created:
            attach_files(ticket=ticket, uploaded_by=requester, files=files)
    return ticket, created


def add_information_with_files(
    *,
    ticket: Ticket,
    author: User,
    text: str,
    files: list[CheckedFile],
    submission_token: uuid.UUID | None = None,
) -> tuple[TicketAddition, bool]:
    """ticket_add_information and the files, stored once per submission token."""
    with transaction.atomic():
        addition, added = ticket_services.ticket_add_information(
            ticket=ticket, author=author, text=text, submission_token=submission_token
        )
        if added and files:
            attach_files(ticket=ticket, uploaded_by=author, files=files)
    return addition, added
