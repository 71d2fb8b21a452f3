"""Serving a ticket's file: never under a public URL, always as a download, streamed."""

from django.http import FileResponse

from accounts.decorators import portal_view
from attachments import selectors
from attachments.models import Attachment
from attachments.services import attachment_storage


def file_response(attachment: Attachment) -> FileResponse:
    """The file as a download streamed from the storage, nothing a browser could run or sniff."""
    charset = "; charset=utf-8" if attachment.content_type == "text/plain" else ""
    response = FileResponse(
        attachment_storage().open(attachment.key, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type + charset,
    )
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@portal_view(["GET"])
def download(request, code, pk):
    """A file of the clinic's own ticket; another clinic's is the 404 of a missing one."""
    return file_response(selectors.attachment_for_clinic(clinic=request.clinic, code=code, pk=pk))
