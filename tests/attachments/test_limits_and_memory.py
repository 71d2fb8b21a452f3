"""The body limits per route, the content checks on their own, the settings of the S3 path, and
a download that streams (a worker's memory does not hold the file)."""

import json
import os
import subprocess
import sys
import tracemalloc

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from attachments.content_types import detect
from attachments.forms import AttachmentsField
from attachments.limits import ALLOWED_TYPES, MAX_FILE_SIZE, UPLOAD_BODY_LIMIT
from attachments.models import Attachment
from tests.attachments.conftest import upload
from tests.attachments.files import EXE, FAKE_PNG_EXE, JPEG, PDF, TEXT, WEBP, png
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from vetsync_support.middleware import BODY_LIMIT, body_limit

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)
ALLOWED = frozenset(ALLOWED_TYPES)


@pytest.mark.parametrize(
    "path, limit",
    [
        ("/soporte/tickets/nuevo", UPLOAD_BODY_LIMIT),
        ("/soporte/tickets/ST-20260401-00001/informacion", UPLOAD_BODY_LIMIT),
        ("/soporte/tickets/ST-20260401-00001/eliminar", BODY_LIMIT),
        ("/soporte/tickets/nuevo/", BODY_LIMIT),
        ("/soporte/login", BODY_LIMIT),
        ("/admin/tickets/ticket/1/change/", BODY_LIMIT),
    ],
)
def test_only_the_forms_with_files_take_large_bodies(path, limit):
    assert body_limit(path) == limit
    assert UPLOAD_BODY_LIMIT > 5 * MAX_FILE_SIZE and BODY_LIMIT == 512 * 1024


def test_a_large_file_goes_through_only_where_files_are_taken(
    client_a, client_b, portal_a, portal_b
):
    ticket_a = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    ticket_b = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    three_mb = png(extra=b"Comment\x00" + b"x" * 3_000_000)
    response = client_a.post(
        f"/soporte/tickets/{ticket_a.code}/eliminar", {"f": upload("c.png", three_mb)}
    )
    assert response.status_code == 413
    assert "Solicitud demasiado grande" in response.content.decode()
    response = client_a.post(
        f"/soporte/tickets/{ticket_a.code}/informacion",
        {"text": "Captura grande.", "attachments": [upload("c.png", three_mb)]},
    )
    assert response.status_code == 302
    # Clinic B's large body to clinic A's ticket: read, then the usual 404.
    response = client_b.post(
        f"/soporte/tickets/{ticket_a.code}/informacion",
        {"text": "Captura grande.", "attachments": [upload("c.png", three_mb)]},
    )
    assert response.status_code == 404
    assert [a.ticket_id for a in Attachment.objects.all()] == [ticket_a.pk]
    assert ticket_b.pk != ticket_a.pk


def test_a_body_over_the_upload_limit_is_a_413(client_a, client_b):
    response = client_a.post(
        "/soporte/tickets/nuevo",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(UPLOAD_BODY_LIMIT + 1),
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "content, expected",
    [
        (png(), "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
        (TEXT, "text/plain"),
        ("Señor\tcliente\r\n".encode(), "text/plain"),
        (EXE, None),
        (FAKE_PNG_EXE, None),
        (b"GIF89a" + b"\x00" * 40, None),
        (b"\xff\xd8\xff\x00" + EXE, None),  # a JPEG's magic number, then no marker
        (b"PK\x03\x04" + b"\x00" * 40, None),  # a zip (or .docx)
        (b"texto\x00con nulo", None),
        (b"\xff\xfe\x00t\x00e", None),  # UTF-16
        (b"\xc3", None),  # cut in the middle of a character
    ],
)
def test_the_type_comes_from_the_content(content, expected, tmp_path):
    path = tmp_path / "file"
    path.write_bytes(content)
    with path.open("rb") as file:
        assert detect(file, len(content), ALLOWED) == expected


def test_the_browsers_claim_and_the_name_do_not_count():
    field = AttachmentsField()
    checked = field.clean([upload("foto.exe", png(), "application/x-msdownload")])
    assert [c.content_type for c in checked] == ["image/png"]


def _settings_in_a_new_process(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['attachments'], default=str))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ATTACHMENTS_")},
        "DJANGO_SETTINGS_MODULE": "vetsync_support.settings",
        **env,
    }
    out = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_storage_is_the_disk_by_default_and_s3_by_configuration():
    local = _settings_in_a_new_process()
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["OPTIONS"]["location"].endswith("var/attachments")
    s3 = _settings_in_a_new_process(
        ATTACHMENTS_S3_BUCKET="adjuntos",
        ATTACHMENTS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        ATTACHMENTS_S3_REGION="auto",
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "adjuntos"
    assert s3["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert s3["OPTIONS"]["default_acl"] == "private"
    # django-storages keeps a whole object in memory unless told otherwise.
    assert s3["OPTIONS"]["max_memory_size"] == 256 * 1024


def test_a_10_mb_download_streams_without_holding_the_file(client_a, client_b, portal_a):
    """tracemalloc counts what Python allocates while the view serves and the client reads
    10 MB, one chunk at a time: the peak stays far below the file's size."""
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    big = png(extra=b"Comment\x00" + os.urandom(MAX_FILE_SIZE - len(png()) - 20))
    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion",
        {"text": "Captura de 10 MB.", "attachments": [upload("grande.png", big)]},
    )
    assert response.status_code == 302
    url = f"/soporte/tickets/{ticket.code}/archivos/{Attachment.objects.get().pk}"
    assert client_b.get(url).status_code == 404
    read = 0
    tracemalloc.start()
    try:
        download = client_a.get(url)
        for chunk in download.streaming_content:
            read += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == len(big) == MAX_FILE_SIZE
    assert peak < MAX_FILE_SIZE / 10, peak


def test_a_10_mb_upload_is_stored_without_holding_the_file(client_a, client_b, portal_a, tmp_path):
    """The upload's side after Django's parser: a file over FILE_UPLOAD_MAX_MEMORY_SIZE is a
    temporary file on disk, and checking and storing it reads a chunk at a time."""
    from attachments.services import attach_files

    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    upload_file = TemporaryUploadedFile("grande.png", "image/png", MAX_FILE_SIZE, None)
    head = png(extra=b"Comment\x00" + b"x" * 4096)
    upload_file.write(head[:-12])
    upload_file.write(b"\x00" * (MAX_FILE_SIZE - len(head)))
    upload_file.write(head[-12:])
    upload_file.flush()
    upload_file.size = MAX_FILE_SIZE
    tracemalloc.start()
    try:
        checked = AttachmentsField().clean([upload_file])
        attach_files(ticket=ticket, uploaded_by=portal_a, files=checked)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload_file.close()
    assert Attachment.objects.get().size == MAX_FILE_SIZE
    assert peak < MAX_FILE_SIZE / 10, peak
