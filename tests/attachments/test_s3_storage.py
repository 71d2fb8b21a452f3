"""The S3 path: the same uploads and downloads through the portal's views, the files in an
S3-compatible object store. moto's server mode is a real S3 API on loopback (HTTP, signed
requests), started here in its own process on a free port: what several app servers would
share. (In its own process, not moto's ThreadedMotoServer: a server thread and moto's many
modules in the test process slowed the timing tests that run after these.)"""

import re
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings

from attachments.models import Attachment, StagedFile
from tests.attachments.conftest import upload
from tests.attachments.files import PDF, png
from tests.conftest import ALL_DATABASES
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

BUCKET = "vetsync-adjuntos"
CREDENTIALS = {"access_key": "testing-key", "secret_key": "testing-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto's server stopped (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("moto's server did not start")


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (this interpreter, moto's own server module)
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_client(s3_endpoint):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    client.close()


@pytest.fixture
def s3_storage(attachments_dir, s3_endpoint, s3_client):
    """settings.STORAGES["attachments"] as ATTACHMENTS_S3_* make it (vetsync_support/settings)."""
    storages = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": "attachments",
                "default_acl": "private",
                "file_overwrite": False,
                "max_memory_size": 256 * 1024,
                **CREDENTIALS,
            },
        },
    }
    with override_settings(STORAGES=storages):
        yield s3_client


def test_files_go_to_the_object_store_and_come_back_identical(
    client_a, client_b, s3_storage, attachments_dir
):
    token = re.search(
        r'name="submission_token" value="([^"]+)"',
        client_a.get("/soporte/tickets/nuevo").content.decode(),
    ).group(1)
    screenshot = png(width=40, height=30, extra=b"Comment\x00" + bytes(range(256)) * 2400)
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {
            "submission_token": token,
            "area": "soporte",
            "detail": "Adjunto la captura del error al emitir la boleta de la venta 1234.",
            "attachments": [upload("captura.png", screenshot), upload("boleta.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    stored = {a.name: a for a in Attachment.objects.all()}

    keys = sorted(o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted(f"attachments/{a.key}" for a in stored.values())
    raw = s3_storage.get_object(Bucket=BUCKET, Key=f"attachments/{stored['captura.png'].key}")
    assert raw["Body"].read() == screenshot
    assert not attachments_dir.exists()  # nothing on the local disk

    for name, content in (("captura.png", screenshot), ("boleta.pdf", PDF)):
        download = client_a.get(f"/soporte/tickets/{ticket.code}/archivos/{stored[name].pk}")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content
        assert download["Content-Disposition"].startswith("attachment;")
        other = client_b.get(f"/soporte/tickets/{ticket.code}/archivos/{stored[name].pk}")
        assert other.status_code == 404


def test_a_refused_file_leaves_nothing_in_the_object_store(client_a, client_b, s3_storage):
    token = re.search(
        r'name="submission_token" value="([^"]+)"',
        client_a.get("/soporte/tickets/nuevo").content.decode(),
    ).group(1)
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {
            "submission_token": token,
            "area": "soporte",
            "detail": "Adjunto la captura del error al emitir la boleta de la venta 1234.",
            "attachments": [upload("ok.png", png()), upload("programa.png", b"MZ" + b"\x00" * 80)],
        },
    )
    assert response.status_code == 400
    # The file that passed is kept for the form (tests/attachments/test_kept_files.py); the
    # refused one is nowhere.
    kept = StagedFile.objects.get()
    assert kept.name == "ok.png"
    listed = s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [(o["Key"].rsplit("/", 1)[-1], o["Size"]) for o in listed] == [(kept.key, len(png()))]
