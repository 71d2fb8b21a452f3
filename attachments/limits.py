"""What a clinic may attach to a ticket, and the request bodies that carry it."""

from datetime import timedelta

from django.conf import settings

MAX_FILES = 5  # per ticket, over the ticket form and every "Agregar información"
MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes
MAX_NAME_LENGTH = 120  # characters of the shown name, its extension kept
# A file kept for a form that came back (StagedFile) is removed when unused for this long.
STAGED_FILE_LIFETIME = timedelta(days=1)

# The types accepted (read from the content: content_types.py) and each one's file extension.
ALLOWED_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
}

# A view whose form carries files accepts its files, text fields and multipart framing; every
# other route keeps DATA_UPLOAD_MAX_MEMORY_SIZE (vetsync_support/middleware.py).
UPLOAD_BODY_LIMIT = MAX_FILES * MAX_FILE_SIZE + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024


def accepts_files(view):
    """Mark a view whose form carries files: its requests may be as large as UPLOAD_BODY_LIMIT."""
    view.body_limit = UPLOAD_BODY_LIMIT
    return view
