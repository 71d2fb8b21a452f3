import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.factories import TicketFactory


@pytest.fixture(autouse=True)
def attachments_dir(_fast_test_settings, tmp_path):
    """Each test stores its files in its own folder."""
    folder = tmp_path / "attachments"
    storages = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    with override_settings(STORAGES=storages):
        yield folder


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def ticket_a(portal_a):
    return TicketFactory(clinic=portal_a.clinic, requester=portal_a)


@pytest.fixture
def ticket_b(portal_b):
    return TicketFactory(clinic=portal_b.clinic, requester=portal_b)


@pytest.fixture
def token(client_a):
    """A fresh submission token, as the form hands out."""
    import re

    html = client_a.get("/soporte/tickets/nuevo").content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
