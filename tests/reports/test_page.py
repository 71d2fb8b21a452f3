"""Informes in the admin: who may open it, the form's Spanish errors, each table's CSV, the
charts as images, and a bounded number of queries."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from accounts.models import Clinic
from reports.sections import SECTIONS
from reports.services import timings_rebuild
from service_levels.models import ResponseTarget
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory
from tests.reports.conftest import END, START
from tests.reports.test_charts import svg_of
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

URL = "/admin/informes/"
RANGE = {"desde": START.isoformat(), "hasta": END.isoformat()}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_agent_of_the_group_sees_every_section(report_data, desk):
    response = desk.get(URL, RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Tickets creados y cerrados por semana",
        "Tiempo de primera respuesta y de resolución",
        "Estado de cierre por semana",
        "¿Se resolvió su problema? por mes",
        "Las 10 clínicas con más tickets",
        "Antigüedad de los tickets abiertos",
    ):
        assert title in html
    assert html.count(">Descargar CSV<") == len(SECTIONS)
    assert html.count('<img src="data:image/svg+xml;base64,') == len(SECTIONS) + 1
    assert "Semana del 21-09-2026" in html
    assert "Hospital Veterinario Austral" in html


def test_the_default_is_the_last_full_month(desk, monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    from service_levels.business_hours import SANTIAGO

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 10, 12, tzinfo=SANTIAGO))
    response = desk.get(URL)
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start.isoformat(), period.end.isoformat(), period.area) == (
        "2026-02-01",
        "2026-02-28",
        None,
    )


def test_a_superuser_sees_it(report_data):
    assert logged_in(AgentFactory(is_superuser=True)).get(URL, RANGE).status_code == 200


def test_staff_outside_the_group_is_refused(report_data):
    outsider = logged_in(AgentFactory())
    assert outsider.get(URL, RANGE).status_code == 403
    assert outsider.get(URL, {**RANGE, "csv": "volumen"}).status_code == 403
    assert "Informes" not in outsider.get("/admin/").content.decode()


def test_the_index_shows_informes_to_the_group(desk):
    html = desk.get("/admin/").content.decode()
    assert 'href="/admin/informes/"' in html


def test_anonymous_visitors_and_clinic_users_go_to_the_admin_login(report_data, client_a):
    for client in (Client(), client_a):
        for params in (RANGE, {**RANGE, "csv": "clinicas"}):
            response = client.get(URL, params)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"desde": "31-02-2026", "hasta": "2026-03-01"}, "Escriba la fecha como dd-mm-aaaa."),
        ({"desde": "hoy", "hasta": "2026-03-01"}, "Escriba la fecha como dd-mm-aaaa."),
        ({"desde": "", "hasta": "2026-03-01"}, "Indique la fecha de inicio."),
        ({"desde": "2026-03-01", "hasta": "2026-02-01"}, "debe ser igual o posterior"),
        ({"desde": "2020-01-01", "hasta": "2026-02-01"}, "Elija un periodo de hasta dos años"),
        ({"desde": "9999-12-30", "hasta": "9999-12-31"}, "Elija fechas entre los años"),
        ({**RANGE, "area": "ventas"}, "Seleccione un área válida."),
        ({**RANGE, "csv": "todo"}, "Ese informe no existe."),
    ],
)
def test_bad_input_is_a_spanish_message_not_a_500(desk, params, message):
    response = desk.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Descargar CSV" not in response.content.decode()


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


@pytest.mark.parametrize("key", list(SECTIONS))
@pytest.mark.parametrize("area", ["", "soporte"])
def test_each_csv_is_its_table(report_data, desk, key, area):
    response = desk.get(URL, {**RANGE, "area": area, "csv": key})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"informe-{key}-20260914-20261004.csv" in response["Content-Disposition"]
    assert b";" in response.content.splitlines()[0]
    page = desk.get(URL, {**RANGE, "area": area})
    table = next(s.table for s in page.context["sections"] if s.key == key)
    assert read_csv(response) == [table.headers, *table.rows]
    assert len(table.rows) > 0


def test_a_clinic_name_is_never_a_formula_in_the_csv(report_data, desk):
    Clinic.objects.filter(name="Hospital Veterinario Austral").update(name="=HIPERVINCULO(1)")
    rows = read_csv(desk.get(URL, {**RANGE, "csv": "clinicas"}))
    assert ["'=HIPERVINCULO(1)", "5", "3", "2"] in rows


def test_the_tables_read_the_figures(report_data, desk):
    sections = {s.key: s for s in desk.get(URL, RANGE).context["sections"]}
    volume = sections["volumen"].table
    assert volume.headers == [
        "Semana",
        "Creados · Soporte",
        "Cerrados · Soporte",
        "Creados · Comercial",
        "Cerrados · Comercial",
    ]
    assert volume.rows[0] == ["Semana del 14-09-2026", "3", "2", "1", "0"]
    times = sections["tiempos"].table
    # Week of 14 Sept, first responses: T1 (1 h), T2 (4 h), T9 (17 h: Thursday 10 at 10:00 to
    # Monday 14 at 9:00): median 4,0, p90 4 + 0,8 x 13 = 14,4; 2 of 3 within target.
    assert times.rows[0][1:5] == ["3", "4,0", "14,4", "66,7"]
    feedback = sections["respuestas"].table
    assert feedback.rows == [
        ["septiembre de 2026", "2", "1", "1", "50,0"],
        ["octubre de 2026", "2", "1", "1", "50,0"],
    ]


def test_the_page_takes_a_bounded_number_of_queries(
    report_data, desk, django_assert_max_num_queries
):
    desk.get(URL, RANGE)  # the session and permissions warmed up as in any later request
    with django_assert_max_num_queries(16):
        assert desk.get(URL, {**RANGE, "area": "comercial"}).status_code == 200


def test_the_group_gives_the_reports_permission():
    group = Group.objects.get(name="Agentes")
    assert group.permissions.filter(codename="view_tickettiming").exists()


def times_section(desk, area: str):
    response = desk.get(URL, {**RANGE, "area": area})
    assert response.status_code == 200
    return next(s for s in response.context["sections"] if s.key == "tiempos")


def test_without_targets_there_is_no_target_line_and_no_share_without_due_times(report_data, desk):
    ResponseTarget.objects.filter(area="comercial").delete()
    section = times_section(desk, "comercial")
    assert all("Objetivo" not in svg_of(chart) for chart in section.charts)
    # The tickets answered and closed while the area had targets keep the due times they
    # were judged by, and so their share.
    assert any(row[4] != "" for row in section.table.rows)
    # Tickets without due times (created while their area has no targets) have no share.
    Ticket.objects.filter(area="comercial").update(
        first_response_due_at=None, resolution_due_at=None
    )
    timings_rebuild()
    cache.clear()  # settings.REPORTS_CACHE_SECONDS
    section = times_section(desk, "comercial")
    assert all(row[4] == "" and row[8] == "" for row in section.table.rows)


def test_the_same_period_is_read_again_from_the_cache_for_a_while(report_data, desk):
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    def timing_reads() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as captured:
            response = desk.get(URL, RANGE)
        tables = [section.table.rows for section in response.context["sections"]]
        return sum("reports_tickettiming" in q["sql"] for q in captured.captured_queries), tables

    first_reads, first = timing_reads()
    assert first_reads > 0
    again_reads, again = timing_reads()
    assert again_reads == 0  # settings.REPORTS_CACHE_SECONDS
    assert again == first
    # Another area is another report.
    with CaptureQueriesContext(connection) as captured:
        desk.get(URL, {**RANGE, "area": "soporte"})
    assert any("reports_tickettiming" in q["sql"] for q in captured.captured_queries)
    with override_settings(REPORTS_CACHE_SECONDS=0):
        from django.core.cache import cache

        cache.clear()
        timing_reads()
        assert timing_reads()[0] > 0
