"""The session's VetSync check: one query a request (its rule is tested in tests/security)."""

import pytest
from django.db import connections

from tests.conftest import ALL_DATABASES

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_the_vetsync_check_is_one_query(client_a, django_assert_num_queries):
    # The portal: the session, then the user with its clinic, and the form page's notices in
    # force (notices/selectors.py); VetSync: the one check, then the clinic's people for
    # "Avisar también a".
    with (
        django_assert_num_queries(3),
        django_assert_num_queries(2, connection=connections["vetsync"]) as vetsync,
    ):
        client_a.get("/soporte/tickets/nuevo")
    check, people = (query["sql"] for query in vetsync.captured_queries)
    assert "is_active" in check and "LIMIT 1" in check.upper()
    assert "full_name" in people and "password" not in people
