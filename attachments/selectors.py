"""Reads of attached files. A clinic reaches a file only through its own, not deleted ticket:
another clinic's file, a deleted ticket's and a missing one are the same 404. Agents reach
every file, a deleted ticket's included."""

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from accounts.models import Clinic, person_display_name
from attachments.models import Attachment
from tickets.codes import CODE_RE
from tickets.models import Ticket


def attachment_for_clinic(*, clinic: Clinic, code: str, pk: int) -> Attachment:
    if not CODE_RE.match(code or ""):
        raise Http404
    found = (
        Attachment.objects.filter(
            pk=pk, ticket__clinic=clinic, ticket__code=code, ticket__deleted_at__isnull=True
        )
        .only("key", "name", "size", "content_type")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """A file attached to the ticket, as the clinic's ticket page lists it."""

    id: int
    name: str
    size: int
    created_at: datetime
    uploader_name: str


def attachment_rows_for_clinic(*, clinic: Clinic, ticket_id: int) -> list[AttachmentRow]:
    """The files of the clinic's own, not deleted ticket, oldest first, with who added each:
    one query (another clinic's ticket and a deleted one have none)."""
    found = (
        Attachment.objects.filter(
            ticket_id=ticket_id, ticket__clinic=clinic, ticket__deleted_at__isnull=True
        )
        .order_by("created_at", "id")
        .values_list(
            "id",
            "name",
            "size",
            "created_at",
            "uploaded_by__full_name",
            "uploaded_by__first_name",
            "uploaded_by__last_name",
            "uploaded_by__username",
        )
    )
    return [
        AttachmentRow(pk, name, size, created_at, person_display_name(*uploader))
        for pk, name, size, created_at, *uploader in found
    ]


def attachment_for_agent(*, pk: int) -> Attachment:
    found = Attachment.objects.filter(pk=pk).only("key", "name", "size", "content_type").first()
    if found is None:
        raise Http404
    return found


def ticket_attachments(*, ticket_id: int) -> list[Attachment]:
    """For the agents' ticket page, with who added each."""
    return list(
        Attachment.objects.filter(ticket_id=ticket_id)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def attachment_count(*, ticket: Ticket) -> int:
    """The files a ticket already has (the ticket was reached through a clinic's selector)."""
    return Attachment.objects.filter(ticket=ticket).count()
