"""Adjuntar archivos: what a clinic may attach, what is refused, and who may download it.
Clinic A and clinic B in every scenario: B never reaches A's files."""

import re

import pytest

from attachments.limits import MAX_FILE_SIZE
from attachments.models import Attachment, StagedFile
from feedback import services as feedback_services
from tests.attachments.conftest import stored_files, upload
from tests.attachments.files import EXE, FAKE_PNG_EXE, JPEG, PDF, TEXT, WEBP, png
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Ticket
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

DETAIL = "Al emitir una factura el portal muestra un error en la confirmación del pago."
LIMITS = (
    "Hasta 5 archivos por ticket, de 10 MB cada uno como máximo: imágenes PNG, JPEG o WebP "
    "(por ejemplo, capturas de pantalla), PDF o texto plano."
)


def create(client, token, *files, detail=DETAIL):
    return client.post(
        "/soporte/tickets/nuevo",
        {"submission_token": token, "area": "soporte", "detail": detail, "attachments": files},
    )


def file_url(ticket, attachment):
    return f"/soporte/tickets/{ticket.code}/archivos/{attachment.pk}"


def body(response) -> bytes:
    # Read to the end, the test client closes the response (and its file), as a server would.
    return b"".join(response.streaming_content)


def status(response) -> int:
    if response.streaming:
        body(response)
    return response.status_code


def without_tokens(response) -> str:
    return re.sub(r'value="[^"]{30,}"', "", response.content.decode())


def test_the_form_says_the_limits_before_anything_is_sent(client_a, client_b, ticket_a):
    for client, path in (
        (client_a, "/soporte/tickets/nuevo"),
        (client_b, "/soporte/"),
        (client_a, f"/soporte/tickets/{ticket_a.code}"),
    ):
        html = client.get(path).content.decode()
        assert "Adjuntar archivos" in html, path
        assert LIMITS in html, path
        assert 'enctype="multipart/form-data"' in html, path
        assert 'type="file" name="attachments"' in html and " multiple " in html, path


def test_a_ticket_with_a_screenshot_a_pdf_and_a_text(client_a, client_b, portal_a, token):
    screenshot = png(extra=b"Comment\x00captura")
    response = create(
        client_a,
        token,
        upload("captura pantalla.png", screenshot, "image/png"),
        upload("boleta.pdf", PDF, "application/pdf"),
        upload("mensaje.txt", TEXT, "text/plain"),
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    files = {a.name: a for a in Attachment.objects.filter(ticket=ticket)}
    assert set(files) == {"captura pantalla.png", "boleta.pdf", "mensaje.txt"}
    assert files["boleta.pdf"].content_type == "application/pdf"
    assert files["mensaje.txt"].content_type == "text/plain"
    assert all(a.uploaded_by == portal_a for a in files.values())

    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Archivos adjuntos" in html
    assert "captura pantalla.png" in html and "boleta.pdf" in html
    assert f"{len(PDF)}\xa0bytes" in html
    assert "Agregado por Fernando Pérez el " in html

    download = client_a.get(file_url(ticket, files["captura pantalla.png"]))
    assert download.status_code == 200
    assert body(download) == screenshot
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="captura pantalla.png"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Content-Length"] == str(len(screenshot))
    assert body(client_a.get(file_url(ticket, files["mensaje.txt"]))) == TEXT

    # Clinic B: the same 404 as a file that does not exist.
    missing = client_b.get(f"/soporte/tickets/{ticket.code}/archivos/999999")
    other = client_b.get(file_url(ticket, files["boleta.pdf"]))
    assert other.status_code == missing.status_code == 404
    assert without_tokens(other) == without_tokens(missing)


def test_another_clinics_file_is_a_404_even_under_its_own_ticket(
    client_a, client_b, ticket_a, ticket_b, portal_b
):
    response = client_b.post(
        f"/soporte/tickets/{ticket_b.code}/informacion",
        {"text": "Adjunto la boleta del pago.", "attachments": [upload("b.pdf", PDF)]},
    )
    assert response.status_code == 302
    file_b = Attachment.objects.get(ticket=ticket_b)
    assert status(client_a.get(file_url(ticket_b, file_b))) == 404
    # A's own ticket code with B's file number: still nothing.
    assert status(client_a.get(file_url(ticket_a, file_b))) == 404
    assert status(client_b.get(file_url(ticket_b, file_b))) == 200
    assert "b.pdf" not in client_a.get(f"/soporte/tickets/{ticket_a.code}").content.decode()


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("programa.png", EXE, "image/png", "no es una imagen PNG, JPEG o WebP, un PDF ni texto"),
        ("captura.png", FAKE_PNG_EXE, "image/png", "no es una imagen PNG"),
        ("vacio.png", b"", "image/png", "El archivo «vacio.png» está vacío."),
        ("script.txt", b"echo hola\x00\x01", "text/plain", "no es una imagen PNG"),
        ("latin1.txt", "Año".encode("latin-1"), "text/plain", "no es una imagen PNG"),
        ("informe.pdf", b"%PDF-1.4\n" + EXE, "application/pdf", "no es una imagen PNG"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    client_a, client_b, token, attachments_dir, name, content, content_type, message
):
    response = create(client_a, token, upload("ok.png", png()), upload(name, content, content_type))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert DETAIL in html  # the typed text is kept
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    # Only the file that passed is stored, kept for this form (test_kept_files.py).
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["ok.png"]
    assert len(stored_files(attachments_dir)) == 1
    # Clinic B's form is untouched by it.
    assert "no es una imagen" not in client_b.get("/soporte/tickets/nuevo").content.decode()


def test_an_oversize_file_is_refused(client_a, client_b, token, attachments_dir):
    big = png(extra=b"Comment\x00" + b"x" * (MAX_FILE_SIZE - len(png()) - 19))
    assert len(big) > MAX_FILE_SIZE
    response = create(client_a, token, upload("enorme.png", big, "image/png"))
    assert response.status_code == 400
    assert "El archivo «enorme.png» pesa más de 10 MB." in response.content.decode()
    assert not Ticket.objects.exists() and stored_files(attachments_dir) == []


def test_a_file_of_exactly_10_mb_is_accepted(client_a, client_b, token, attachments_dir):
    exact = png(extra=b"Comment\x00" + b"x" * (MAX_FILE_SIZE - len(png()) - 20))
    assert len(exact) == MAX_FILE_SIZE
    assert create(client_a, token, upload("justo.png", exact)).status_code == 302
    assert [p.stat().st_size for p in stored_files(attachments_dir)] == [MAX_FILE_SIZE]


def test_a_sixth_file_is_refused(client_a, client_b, token, attachments_dir):
    def files(n):
        return [upload(f"captura{n}.png", png()) for n in range(n)]

    response = create(client_a, token, *files(6))
    assert response.status_code == 400
    assert "Puede adjuntar hasta 5 archivos por ticket." in response.content.decode()
    assert not Ticket.objects.exists() and stored_files(attachments_dir) == []
    assert create(client_a, token, *files(5)).status_code == 302
    assert Attachment.objects.count() == 5


def test_a_sixth_file_through_agregar_informacion_is_refused(
    client_a, client_b, ticket_a, ticket_b, attachments_dir
):
    url = f"/soporte/tickets/{ticket_a.code}/informacion"
    four = [upload(f"c{n}.png", png()) for n in range(4)]
    assert client_a.post(url, {"text": "Cuatro capturas.", "attachments": four}).status_code == 302
    # Clinic B's ticket has its own five.
    url_b = f"/soporte/tickets/{ticket_b.code}/informacion"
    one = {"text": "Una.", "attachments": [upload("b.png", png())]}
    assert client_b.post(url_b, one).status_code == 302
    response = client_a.post(
        url, {"text": "Dos más.", "attachments": [upload("x.png", png()), upload("y.png", png())]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Este ticket ya tiene 4 y seleccionó 2." in html
    assert "Dos más." in html
    assert Attachment.objects.filter(ticket=ticket_a).count() == 4
    assert ticket_a.additions.count() == 1  # the refused text was not added either
    assert len(stored_files(attachments_dir)) == 5


def test_information_on_a_closed_ticket_stores_no_file(
    client_a, client_b, portal_a, attachments_dir
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state="cerrado_resuelto")
    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion",
        {"text": "Otra captura.", "attachments": [upload("c.png", png())]},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../../../etc/passwd.png", "passwd.png"),
        ("..\\..\\Windows\\system32\\captura.png", "captura.png"),
        ("captura\x07\x1b[31m\x7f.png", "captura[31m.png"),
        ("\u202egnp.exe", "gnp.exe"),
        ("...", "archivo"),
        ("a" * 300 + ".png", "a" * 116 + ".png"),
    ],
)
def test_names_are_sanitized_and_never_used_to_store(
    client_a, client_b, token, attachments_dir, raw, shown
):
    assert create(client_a, token, upload(raw, png())).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == shown
    assert re.fullmatch(r"[0-9a-f]{32}\.png", attachment.key)
    assert [p.name for p in stored_files(attachments_dir)] == [attachment.key]
    download = client_a.get(file_url(Ticket.objects.get(), attachment))
    assert body(download) == png()
    disposition = download["Content-Disposition"]
    assert "\n" not in disposition and "/" not in disposition and "\\" not in disposition
    assert status(client_b.get(file_url(Ticket.objects.get(), attachment))) == 404


def test_jpeg_and_webp_are_accepted(client_a, client_b, token):
    response = create(client_a, token, upload("foto.jpg", JPEG), upload("foto.webp", WEBP))
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/webp",
    ]


def test_the_same_form_sent_twice_stores_its_files_once(client_a, client_b, token):
    first = create(client_a, token, upload("c.png", png()))
    second = create(client_a, token, upload("c.png", png()))
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_ticket_without_files_works_as_before(client_a, client_b, token, attachments_dir):
    response = client_a.post(
        "/soporte/tickets/nuevo", {"submission_token": token, "area": "soporte", "detail": DETAIL}
    )
    assert response.status_code == 302
    html = client_a.get(response["Location"]).content.decode()
    assert "Archivos adjuntos" not in html
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []


def test_deleting_a_ticket_keeps_its_files_for_the_agents(
    client_a, client_b, portal_a, token, desk, attachments_dir
):
    create(client_a, token, upload("c.png", png()))
    ticket, attachment = Ticket.objects.get(), Attachment.objects.get()
    services.ticket_delete(ticket=ticket, actor=portal_a)
    assert status(client_a.get(file_url(ticket, attachment))) == 404
    assert len(stored_files(attachments_dir)) == 1
    response = desk.get(f"/admin/attachments/attachment/{attachment.pk}/descargar/")
    assert response.status_code == 200 and body(response) == png()


def test_an_agent_downloads_from_the_tickets_admin_page(client_a, client_b, token, desk):
    create(client_a, token, upload("captura.png", png(), "image/png"))
    ticket, attachment = Ticket.objects.get(), Attachment.objects.get()
    page = desk.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()
    url = f"/admin/attachments/attachment/{attachment.pk}/descargar/"
    assert f'href="{url}"' in page and "captura.png" in page
    response = desk.get(url)
    assert response.status_code == 200
    assert body(response) == png()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert status(desk.get("/admin/attachments/attachment/999999/descargar/")) == 404
    listing = desk.get("/admin/attachments/attachment/").content.decode()
    assert f'href="{url}"' in listing and ticket.code in listing


def test_a_clinic_user_cannot_use_the_agents_download(client_a, client_b, token):
    create(client_a, token, upload("captura.png", png()))
    url = f"/admin/attachments/attachment/{Attachment.objects.get().pk}/descargar/"
    for client in (client_a, client_b):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert not hasattr(response, "streaming_content")


def test_an_agent_without_the_ticket_permission_gets_no_file(client_a, client_b, token, agent):
    from django.test import Client

    create(client_a, token, upload("captura.png", png()))
    stranger = Client()
    stranger.force_login(agent)  # staff, but not in the "Agentes" group
    url = f"/admin/attachments/attachment/{Attachment.objects.get().pk}/descargar/"
    assert status(stranger.get(url)) == 403


def test_the_detail_page_stays_within_5_queries_with_files(
    client_a, client_b, portal_a, agent, django_assert_max_num_queries
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    TicketFactory.create_batch(2, clinic=portal_a.clinic, requester=portal_a, follows_up=ticket)
    for n in range(5):
        services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
        client_a.post(
            f"/soporte/tickets/{ticket.code}/informacion",
            {"text": f"Dato {n}", "attachments": [upload(f"c{n}.png", png())]},
        )
    assert Attachment.objects.filter(ticket=ticket).count() == 5
    # session, user+clinic, the ticket with its changes, responses, additions and follow-ups,
    # its files, clearing the "Nueva respuesta" mark; VetSync's check runs on its own database,
    # not counted
    with django_assert_max_num_queries(5) as captured:
        html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert all(f"c{n}.png" in html for n in range(5))
    assert html.count("Dato ") == 5  # the files do not repeat the ticket's texts
    # The files are read by attachments/, in a query of their own.
    reads = [q["sql"] for q in captured.captured_queries if "attachments_attachment" in q["sql"]]
    assert len(reads) == 1 and "tickets_ticketevent" not in reads[0]


def test_a_resolved_page_with_files_and_the_clinics_answer_stays_within_5_queries(
    client_a, client_b, portal_a, portal_b, agent, django_assert_max_num_queries
):
    """The fullest page: files, responses, additions, follow-ups and the answer to "¿Se
    resolvió su problema?": the ticket with its changes and texts, its files (attachments/)
    and the answer (feedback/), each one query."""
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    TicketFactory.create_batch(2, clinic=portal_a.clinic, requester=portal_a, follows_up=ticket)
    other = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    for n in range(5):
        services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
        client_a.post(
            f"/soporte/tickets/{ticket.code}/informacion",
            {"text": f"Dato {n}", "attachments": [upload(f"c{n}.png", png())]},
        )
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    feedback_services.feedback_give(
        ticket=ticket, author=portal_a, solved=False, comment="Sigue igual."
    )
    client_a.get(f"/soporte/tickets/{ticket.code}")  # clears its "Nueva respuesta" mark
    # session, user+clinic, the ticket with its changes and texts, its files, the answer;
    # VetSync's check runs on its own database, not counted
    with django_assert_max_num_queries(5):
        html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert all(f"c{n}.png" in html for n in range(5))
    assert html.count("c0.png") == 1  # each file listed once
    assert html.count("Dato ") == 5 and "Respuesta 4" in html and "Sigue igual." in html
    assert client_b.get(f"/soporte/tickets/{ticket.code}").status_code == 404
    assert "c0.png" not in client_b.get(f"/soporte/tickets/{other.code}").content.decode()


def test_a_tickets_files_are_read_as_the_orm_gives_them_and_only_by_its_clinic(
    client_a, client_b, portal_a, portal_b, ticket_a, ticket_b
):
    from django.utils import timezone

    from attachments.selectors import attachment_rows_for_clinic

    for n, client, ticket in [
        (0, client_a, ticket_a),
        (1, client_a, ticket_a),
        (2, client_b, ticket_b),
    ]:
        response = client.post(
            f"/soporte/tickets/{ticket.code}/informacion",
            {
                "text": f"Dato {n}",
                "attachments": [upload(f"c{n}.png", png()), upload(f"d{n}.pdf", PDF)],
            },
        )
        assert response.status_code == 302
    # Stored in one moment: the id orders them then.
    Attachment.objects.filter(ticket=ticket_a, name__startswith="d").update(
        created_at=Attachment.objects.get(name="c1.png").created_at
    )
    rows = attachment_rows_for_clinic(clinic=portal_a.clinic, ticket_id=ticket_a.pk)
    assert [(r.id, r.name, r.size, r.created_at, r.uploader_name) for r in rows] == [
        (a.pk, a.name, a.size, a.created_at, a.uploaded_by.display_name)
        for a in Attachment.objects.filter(ticket=ticket_a)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    ]
    assert [r.name for r in rows] == ["c0.png", "d0.pdf", "c1.png", "d1.pdf"]
    assert all(timezone.is_aware(r.created_at) for r in rows)
    assert {r.uploader_name for r in rows} == {"Fernando Pérez"}
    # Another clinic's ticket, and a deleted one: no files.
    assert attachment_rows_for_clinic(clinic=portal_b.clinic, ticket_id=ticket_a.pk) == []
    assert [
        r.name for r in attachment_rows_for_clinic(clinic=portal_b.clinic, ticket_id=ticket_b.pk)
    ] == ["c2.png", "d2.pdf"]
    services.ticket_delete(ticket=ticket_b, actor=portal_b)
    assert attachment_rows_for_clinic(clinic=portal_b.clinic, ticket_id=ticket_b.pk) == []


def test_the_agents_ticket_page_reads_files_only_when_there_are_some(
    client_a, client_b, token, desk, django_assert_num_queries
):
    create(client_a, token, upload("c.png", png()))
    with_files = Ticket.objects.get()
    without = TicketFactory()
    url = "/admin/tickets/ticket/{}/change/"
    desk.get(url.format(without.pk))
    with django_assert_num_queries(8):  # tests/desk/test_ticket_admin.py lists them
        desk.get(url.format(without.pk))
    with django_assert_num_queries(9):
        assert "c.png" in desk.get(url.format(with_files.pk)).content.decode()


def test_a_refused_detail_attaches_no_file_and_keeps_it_for_that_form_only(
    client_a, client_b, token, attachments_dir
):
    response = create(client_a, token, upload("captura.png", png()), detail="no funciona")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mejor escriba qué pantalla no funciona" in html
    assert "Este archivo ya está guardado y se enviará con el ticket:" in html
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    assert len(stored_files(attachments_dir)) == 1  # kept: tests/attachments/test_kept_files.py
    assert "captura.png" not in client_b.get("/soporte/tickets/nuevo").content.decode()
