"""Per-request work the admin and static files skip: the app list no page shows, and static
addresses worked out again on every page."""

from unittest import mock

import pytest
from django.contrib import admin
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from vetsync_support.static_storage import ManifestStaticStorage

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_the_app_list_is_built_only_for_the_pages_that_show_it(desk):
    ticket = TicketFactory()
    with mock.patch.object(
        admin.AdminSite, "get_app_list", autospec=True, side_effect=admin.AdminSite.get_app_list
    ) as build:
        assert desk.get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code == 200
        assert desk.get("/admin/tickets/ticket/").status_code == 200
        assert build.call_count == 0
        index = desk.get("/admin/")
        assert index.status_code == 200 and build.call_count >= 1
    assert "/admin/tickets/ticket/" in index.content.decode()  # the index still lists tickets
    assert desk.get("/admin/tickets/").status_code == 200  # and the app's own page works


def test_a_static_address_is_worked_out_once_per_process():
    storage = ManifestStaticStorage()
    with mock.patch.object(
        CompressedManifestStaticFilesStorage, "url", return_value="/static/css/a.1234.css"
    ) as url:
        assert storage.url("css/a.css") == "/static/css/a.1234.css"
        assert storage.url("css/a.css") == "/static/css/a.1234.css"
        assert url.call_count == 1
        storage.url("css/a.css", force=True)
        assert url.call_count == 2


def test_a_missing_static_file_is_not_remembered():
    storage = ManifestStaticStorage()
    with mock.patch.object(
        CompressedManifestStaticFilesStorage, "url", side_effect=ValueError("missing")
    ) as url:
        for _ in range(2):
            with pytest.raises(ValueError, match="missing"):
                storage.url("css/none.css")
        assert url.call_count == 2
