"""The S3 path: the same uploads and downloads through the portal's views, the files in an
S3-compatible object store. moto's server mode is a real S3 API on loopback (HTTP, signed
requests), started here on a free port: what several app servers would share."""

import re
import socket

import pytest
from django.conf import settings
from django.test import override_settings

from attachments.models import Attachment
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


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


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


def test_a_refused_upload_leaves_nothing_in_the_object_store(client_a, client_b, s3_storage):
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
    assert "Contents" not in s3_storage.list_objects_v2(Bucket=BUCKET)
