"""Avisos: agents publish notices in the admin; the panel and the ticket form show the ones in
force for the clinic, at the top, under "Avisos"."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import Notice
from notices.selectors import notice_list_in_force
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, TicketFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

PAGES = ["/soporte/", "/soporte/tickets/nuevo"]


def publish(text, *, clinics=(), all_clinics=False, level=Notice.Level.INFORMACION, **period):
    now = timezone.now()
    notice = Notice.objects.create(
        text=text,
        level=level,
        all_clinics=all_clinics,
        starts_at=period.get("starts_at", now - timedelta(hours=1)),
        ends_at=period.get("ends_at", now + timedelta(hours=1)),
    )
    notice.clinics.set(clinics)
    return notice


def notices_section(html: str) -> str:
    found = re.search(
        r'<section class="notices[^"]*" aria-labelledby="avisos">.*?</section>', html, re.S
    )
    return found.group(0) if found else ""


@pytest.mark.parametrize("page", PAGES)
def test_a_notice_for_clinic_a_is_never_shown_to_clinic_b(
    client_a, client_b, portal_a, portal_b, page
):
    publish("Mantención del módulo de caja de la clínica A", clinics=[portal_a.clinic])
    html_a = client_a.get(page).content.decode()
    html_b = client_b.get(page).content.decode()
    assert "Mantención del módulo de caja de la clínica A" in notices_section(html_a)
    assert "Avisos" in notices_section(html_a)
    assert "Mantención del módulo de caja" not in html_b
    assert notices_section(html_b) == ""
    assert ">Avisos<" not in html_b


@pytest.mark.parametrize("page", PAGES)
def test_an_all_clinics_notice_is_shown_to_every_clinic(
    client_a, client_b, portal_a, portal_b, page
):
    publish("VetSync se actualizará el sábado a las 22:00.", all_clinics=True)
    for client in (client_a, client_b):
        section = notices_section(client.get(page).content.decode())
        assert "VetSync se actualizará el sábado a las 22:00." in section


def test_a_notice_for_several_clinics_reaches_each_of_them_only(
    client_a, client_b, portal_a, portal_b
):
    third = ClinicFactory()
    publish("Corte de facturación electrónica", clinics=[portal_b.clinic, third])
    assert "Corte de facturación" not in client_a.get("/soporte/").content.decode()
    assert "Corte de facturación" in notices_section(client_b.get("/soporte/").content.decode())
    assert [n.text for n in notice_list_in_force(clinic=third)] == [
        "Corte de facturación electrónica"
    ]


@pytest.mark.parametrize("page", PAGES)
def test_only_notices_in_force_now_are_shown(client_a, client_b, portal_a, portal_b, page):
    now = timezone.now()
    publish(
        "Aviso que aún no empieza",
        all_clinics=True,
        starts_at=now + timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
    )
    publish(
        "Aviso que ya terminó",
        all_clinics=True,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(seconds=1),
    )
    publish(
        "Aviso futuro de la clínica A",
        clinics=[portal_a.clinic],
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    publish("Aviso vigente", all_clinics=True)
    for client in (client_a, client_b):
        html = client.get(page).content.decode()
        assert "Aviso vigente" in notices_section(html)
        assert "aún no empieza" not in html
        assert "ya terminó" not in html
        assert "Aviso futuro" not in html


def test_no_notice_in_force_shows_no_avisos_heading(client_a, portal_a):
    publish(
        "Aviso que ya terminó",
        all_clinics=True,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    for page in PAGES:
        html = client_a.get(page).content.decode()
        assert notices_section(html) == ""


def test_levels_are_shown_in_words_with_their_own_class(client_a, client_b, portal_a, portal_b):
    publish("Nueva versión del módulo de agenda", all_clinics=True)
    publish(
        "El envío de boletas electrónicas está interrumpido",
        clinics=[portal_a.clinic],
        level=Notice.Level.INTERRUPCION,
    )
    section = notices_section(client_a.get("/soporte/").content.decode())
    items = re.findall(
        r'<li class="notice notice--(\w+)">\s*<p class="notice__level">([^<]+)</p>\s*'
        r'<p class="notice__text">([^<]+)</p>',
        section,
    )
    # Interruptions first.
    assert items == [
        ("interrupcion", "Interrupción", "El envío de boletas electrónicas está interrumpido"),
        ("informacion", "Información", "Nueva versión del módulo de agenda"),
    ]
    section_b = notices_section(client_b.get("/soporte/").content.decode())
    assert "notice--interrupcion" not in section_b
    assert "Interrupción" not in section_b
    assert "notice--informacion" in section_b


def test_the_notices_come_before_the_form_and_the_totals(client_a, portal_a):
    publish(
        "Interrupción del servicio de correo", all_clinics=True, level=Notice.Level.INTERRUPCION
    )
    panel = client_a.get("/soporte/").content.decode()
    assert panel.index('id="avisos"') < panel.index('id="totales"') < panel.index('id="crear"')
    form = client_a.get("/soporte/tickets/nuevo").content.decode()
    assert form.index("<h1>") < form.index('id="avisos"') < form.index('name="detail"')


def test_the_notice_shows_its_period_and_its_text_escaped(client_a, portal_a):
    now = timezone.localtime()
    start = now.replace(hour=0, minute=5, second=0, microsecond=0)
    end = start + timedelta(days=1, hours=3)
    publish(
        "<script>alert(1)</script>\nSegunda línea", all_clinics=True, starts_at=start, ends_at=end
    )
    section = notices_section(client_a.get("/soporte/").content.decode())
    assert "<script>" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Segunda línea" in section
    assert f"Desde {start:%d-%m-%Y} 00:05 hasta {end:%d-%m-%Y} 03:05" in section


def test_a_refused_form_still_shows_the_notices(client_a, client_b, portal_a, portal_b):
    publish(
        "Interrupción de pagos en línea", clinics=[portal_a.clinic], level=Notice.Level.INTERRUPCION
    )
    response = client_a.post("/soporte/tickets/nuevo", {"area": "soporte", "detail": "no funciona"})
    assert response.status_code == 400
    assert "Interrupción de pagos en línea" in notices_section(response.content.decode())
    response = client_b.post("/soporte/tickets/nuevo", {"area": "soporte", "detail": "no funciona"})
    assert response.status_code == 400
    assert "Interrupción de pagos" not in response.content.decode()


def test_the_statement_reads_what_the_queryset_would(portal_a, portal_b):
    """notices/selectors.py's statement against the same read written with the ORM: in force
    now, for every clinic or this one, interruptions first, newest first."""
    from django.db.models import Case, IntegerField, Q, Value, When

    now = timezone.now()
    publish("Para todas", all_clinics=True, starts_at=now - timedelta(hours=3))
    publish("Solo A", clinics=[portal_a.clinic], starts_at=now - timedelta(hours=1))
    publish("Solo B", clinics=[portal_b.clinic])
    publish("A y B", clinics=[portal_a.clinic, portal_b.clinic], level=Notice.Level.INTERRUPCION)
    publish("Corte", all_clinics=True, level=Notice.Level.INTERRUPCION)
    publish("Ya terminó", all_clinics=True, starts_at=now - timedelta(days=2), ends_at=now)
    publish(
        "Mañana",
        clinics=[portal_a.clinic],
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    for clinic in (portal_a.clinic, portal_b.clinic):
        chosen = Notice.clinics.through.objects.filter(clinic_id=clinic.pk).values("notice_id")
        expected = (
            Notice.objects.filter(starts_at__lte=now, ends_at__gt=now)
            .filter(Q(all_clinics=True) | Q(pk__in=chosen))
            .order_by(
                Case(
                    When(level=Notice.Level.INTERRUPCION, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                "-starts_at",
                "-id",
            )
        )
        shown = notice_list_in_force(clinic=clinic)
        assert [n.pk for n in shown] == [n.pk for n in expected]
        assert [(n.text, n.level, n.starts_at, n.ends_at) for n in shown] == [
            (n.text, n.level, n.starts_at, n.ends_at) for n in expected
        ]
    assert [n.text for n in notice_list_in_force(clinic=portal_b.clinic)] == [
        "Corte",
        "A y B",
        "Solo B",
        "Para todas",
    ]


@pytest.mark.parametrize("page", PAGES)
def test_notices_cost_one_query_however_many_there_are(client_a, portal_a, portal_b, page):
    TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a)
    others = ClinicFactory.create_batch(3)
    with CaptureQueriesContext(connection) as without:
        client_a.get(page)
    # What a page cost before there were notices (the benchmark's pages, docs/performance.json).
    before = {"/soporte/": 4, "/soporte/tickets/nuevo": 2}[page]
    assert len(without) == before + 1
    for n in range(6):
        publish(f"Aviso {n} para todas", all_clinics=True)
        publish(f"Aviso {n} para A y otras", clinics=[portal_a.clinic, *others])
        publish(f"Aviso {n} para B", clinics=[portal_b.clinic])
    with (
        CaptureQueriesContext(connection) as with_notices,
        CaptureQueriesContext(connections["vetsync"]) as vetsync,
    ):
        html = client_a.get(page).content.decode()
    assert len(notices_section(html).split('class="notice notice--')) - 1 == 12
    assert len(with_notices) == len(without)
    assert len(with_notices) + len(vetsync) <= 8
    notices_queries = [q["sql"] for q in with_notices if "notices_notice" in q["sql"]]
    assert len(notices_queries) == 1


def test_an_agent_of_the_agentes_group_publishes_a_notice_in_the_admin(
    desk, client_a, client_b, portal_a, portal_b
):
    codenames = set(
        Group.objects.get(name="Agentes")
        .permissions.filter(content_type__app_label="notices")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_notice", "add_notice", "change_notice", "delete_notice"}
    assert desk.get("/admin/notices/notice/").status_code == 200
    assert desk.get("/admin/notices/notice/add/").status_code == 200
    start = timezone.localtime() - timedelta(hours=1)
    end = start + timedelta(hours=5)
    response = desk.post(
        "/admin/notices/notice/add/",
        {
            "text": "El módulo de laboratorio estará fuera de servicio.",
            "level": "interrupcion",
            "starts_at_0": f"{start:%d-%m-%Y}",
            "starts_at_1": f"{start:%H:%M}",
            "ends_at_0": f"{end:%d-%m-%Y}",
            "ends_at_1": f"{end:%H:%M}",
            "clinics": [portal_a.clinic.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get()
    assert list(notice.clinics.all()) == [portal_a.clinic]
    assert not notice.all_clinics
    section = notices_section(client_a.get("/soporte/").content.decode())
    assert "El módulo de laboratorio estará fuera de servicio." in section
    assert "Interrupción" in section
    assert "laboratorio estará fuera" not in client_b.get("/soporte/").content.decode()
    # And changes it to every clinic, then deletes it.
    response = desk.post(
        f"/admin/notices/notice/{notice.pk}/change/",
        {
            "text": notice.text,
            "level": "informacion",
            "starts_at_0": f"{start:%d-%m-%Y}",
            "starts_at_1": f"{start:%H:%M}",
            "ends_at_0": f"{end:%d-%m-%Y}",
            "ends_at_1": f"{end:%H:%M}",
            "all_clinics": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "laboratorio estará fuera" in notices_section(client_b.get("/soporte/").content.decode())
    response = desk.post(f"/admin/notices/notice/{notice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"clinics": []}, "Elija al menos una clínica o marque «Todas las clínicas»."),
        ({"ends_at_1": "08:00", "starts_at_1": "09:00"}, "El fin debe ser posterior al inicio."),
        ({"level": "urgente"}, "urgente"),
    ],
)
def test_the_admin_refuses_an_incomplete_notice(desk, portal_a, changes, error):
    data = {
        "text": "Aviso de prueba",
        "level": "informacion",
        "starts_at_0": "01-12-2026",
        "starts_at_1": "09:00",
        "ends_at_0": "01-12-2026",
        "ends_at_1": "18:00",
        "clinics": [portal_a.clinic.pk],
        **changes,
    }
    response = desk.post("/admin/notices/notice/add/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Notice.objects.exists()


def test_a_clinic_user_cannot_reach_the_notices_admin(client_a, client_b, portal_a):
    notice = publish("Aviso", all_clinics=True)
    for client in (client_a, client_b):
        for path in (
            "/admin/notices/notice/",
            "/admin/notices/notice/add/",
            f"/admin/notices/notice/{notice.pk}/change/",
        ):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")
        response = client.post(
            "/admin/notices/notice/add/", {"text": "x", "level": "informacion", "all_clinics": "on"}
        )
        assert response.status_code == 302
    assert Notice.objects.count() == 1


def test_an_agent_without_the_group_cannot_touch_notices(portal_a):
    client = Client()
    client.force_login(AgentFactory())
    assert client.get("/admin/notices/notice/").status_code == 403
    assert client.get("/admin/notices/notice/add/").status_code == 403
