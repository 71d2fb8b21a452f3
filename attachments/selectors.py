"""Reads of files: a clinic's only through its own, not deleted ticket (else 404), agents' all."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.http import Http404

from accounts.models import Clinic, person_display_name
from attachments.models import Attachment, StagedFile
from tickets.codes import CODE_RE
from tickets.models import Ticket
from vetsync_support.dates import utc_aware


def _file_or_404(**lookups) -> Attachment:
    found = Attachment.objects.filter(**lookups).only("key", "name", "size", "content_type").first()
    if found is None:
        raise Http404
    return found


def attachment_for_clinic(*, clinic: Clinic, code: str, pk: int) -> Attachment:
    if not CODE_RE.match(code or ""):
        raise Http404
    return _file_or_404(
        pk=pk, ticket__clinic=clinic, ticket__code=code, ticket__deleted_at__isnull=True
    )


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """A file attached to the ticket, as the clinic's ticket page lists it."""

    id: int
    name: str
    size: int
    created_at: datetime
    uploader_name: str


# Written as it runs for the clinic's ticket page (bench, ticket_detail at 1,000,000 tickets:
# the queryset took it from 0.70x to 0.48x of the baseline); reads its own table and the ticket
# and uploader below it. tests/attachments/test_upload_and_download.py compares it with the ORM.
CLINIC_TICKET_FILES = """
SELECT a.id, a.name, a.size, a.created_at,
       u.full_name, u.first_name, u.last_name, u.username
FROM attachments_attachment a
JOIN tickets_ticket t ON t.id = a.ticket_id
JOIN accounts_user u ON u.id = a.uploaded_by_id
WHERE a.ticket_id = %s AND t.clinic_id = %s AND t.deleted_at IS NULL
ORDER BY a.created_at, a.id
"""


def attachment_rows_for_clinic(*, clinic: Clinic, ticket_id: int) -> list[AttachmentRow]:
    """The files of the clinic's own, not deleted ticket, oldest first, with who added each."""
    with connection.cursor() as cursor:
        cursor.execute(CLINIC_TICKET_FILES, [ticket_id, clinic.pk])
        found = cursor.fetchall()
    return [
        AttachmentRow(pk, name, size, utc_aware(created_at), person_display_name(*uploader))
        for pk, name, size, created_at, *uploader in found
    ]


def attachment_for_agent(*, pk: int) -> Attachment:
    return _file_or_404(pk=pk)


def ticket_attachments(*, ticket_id: int) -> list[Attachment]:
    """For the agents' ticket page, with who added each, oldest first (the model's ordering)."""
    return list(Attachment.objects.filter(ticket_id=ticket_id).select_related("uploaded_by"))


def attachment_count(*, ticket: Ticket) -> int:
    """The files a ticket already has (the ticket was reached through a clinic's selector)."""
    return Attachment.objects.filter(ticket=ticket).count()


def staged_files(*, user, submission_token) -> list[StagedFile]:
    """The files kept for this form of this user only (two tabs are two forms), oldest first."""
    if submission_token is None:
        return []
    return list(StagedFile.objects.filter(uploaded_by=user, submission_token=submission_token))
