"""Nothing a clinic chose is lost between pages (issue 23): the files of a form that comes back
(Tickets parecidos abiertos, an error) are kept on the server for that form and user, listed
with a button to drop each, and go with whichever choice the clinic makes. Two clinics, and two
tabs of one user, never reach each other's kept files."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from attachments.limits import MAX_FILES
from attachments.models import Attachment, StagedFile
from attachments.tasks import staged_files_expire, staged_files_remove_unused
from tests.attachments.conftest import stored_files, upload
from tests.attachments.files import PDF, png
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tests.tickets.test_similar_tickets import PRINTER, SAME_CASE
from tickets.models import Ticket, TicketAddition

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

SCREENSHOT = png(extra=b"Comment\x00pantalla de ventas")


def fresh_token(client) -> str:
    html = client.get("/soporte/tickets/nuevo").content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def send(client, token, detail=SAME_CASE, **extra):
    data = {"submission_token": token, "area": "soporte", "detail": detail, **extra}
    return client.post("/soporte/tickets/nuevo", data)


def kept_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="quitar_archivo" value="(\d+)"', html)]


def download(client, ticket, attachment) -> bytes:
    response = client.get(f"/soporte/tickets/{ticket.code}/archivos/{attachment.pk}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def printer_a(portal_a):
    return TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail=PRINTER)


def test_a_file_chosen_before_the_look_alikes_is_kept_and_listed(
    client_a, printer_a, attachments_dir
):
    token = fresh_token(client_a)
    response = send(client_a, token, attachments=upload("pantalla.png", SCREENSHOT))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tickets parecidos abiertos" in html
    assert "Este archivo ya está guardado y se enviará con el ticket:" in html
    assert "pantalla.png" in html and kept_ids(html) == [StagedFile.objects.get().pk]
    assert 'name="archivos_guardados" value="1"' in html
    assert not Attachment.objects.exists()
    assert len(stored_files(attachments_dir)) == 1


def test_es_otro_caso_sends_the_kept_file_with_the_new_ticket(client_a, printer_a, attachments_dir):
    token = fresh_token(client_a)
    send(client_a, token, attachments=upload("pantalla.png", SCREENSHOT))
    # The clinic chooses without picking the file again: the form says it kept one.
    response = send(client_a, token, otro_caso="1", archivos_guardados="1")
    assert response.status_code == 302
    ticket = Ticket.objects.exclude(pk=printer_a.pk).get()
    attachment = Attachment.objects.get()
    assert (attachment.ticket, attachment.name) == (ticket, "pantalla.png")
    assert download(client_a, ticket, attachment) == SCREENSHOT
    assert not StagedFile.objects.exists()
    assert len(stored_files(attachments_dir)) == 1  # moved, not copied


def test_agregar_la_informacion_takes_the_kept_file_to_that_ticket(
    client_a, printer_a, attachments_dir
):
    token = fresh_token(client_a)
    send(client_a, token, attachments=upload("boleta.pdf", PDF))
    response = send(client_a, token, agregar_a=printer_a.code, archivos_guardados="1")
    assert response["Location"] == f"/soporte/tickets/{printer_a.code}"
    attachment = Attachment.objects.get()
    assert (attachment.ticket, attachment.name) == (printer_a, "boleta.pdf")
    assert download(client_a, printer_a, attachment) == PDF
    assert TicketAddition.objects.get().text == SAME_CASE
    assert not StagedFile.objects.exists()


def test_a_form_refused_for_its_text_keeps_the_files_that_passed(client_a, attachments_dir):
    token = fresh_token(client_a)
    response = send(
        client_a,
        token,
        detail="no funciona",
        attachments=[upload("pantalla.png", SCREENSHOT), upload("vacio.png", b"")],
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mejor escriba qué pantalla no funciona" in html
    assert "El archivo «vacio.png» está vacío." in html
    assert [f.name for f in StagedFile.objects.all()] == ["pantalla.png"]
    response = send(client_a, token, detail=PRINTER, archivos_guardados="1")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert [a.name for a in ticket.attachments.all()] == ["pantalla.png"]


def test_quitar_drops_one_kept_file_and_keeps_what_was_typed(
    client_a, printer_a, attachments_dir, django_capture_on_commit_callbacks
):
    token = fresh_token(client_a)
    send(
        client_a,
        token,
        attachments=[upload("pantalla.png", SCREENSHOT), upload("boleta.pdf", PDF)],
    )
    screenshot, pdf = StagedFile.objects.order_by("name").values_list("pk", flat=True)[::-1]
    with django_capture_on_commit_callbacks(execute=True):  # its content goes at commit
        response = send(client_a, token, quitar_archivo=str(screenshot), archivos_guardados="2")
    assert response.status_code == 200
    html = response.content.decode()
    assert kept_ids(html) == [pdf] and "Otra vez la impresora térmica" in html
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["boleta.pdf"]
    assert len(stored_files(attachments_dir)) == 1
    # A button value that is no number, too large a number, or names no kept file, drops nothing.
    for value in ("abc", "999999", "9" * 30, "-1"):
        assert (
            send(client_a, token, quitar_archivo=value, archivos_guardados="1").status_code == 200
        )
    assert StagedFile.objects.count() == 1
    send(client_a, token, otro_caso="1", archivos_guardados="1")
    ticket = Ticket.objects.exclude(pk=printer_a.pk).get()
    assert [a.name for a in ticket.attachments.all()] == ["boleta.pdf"]


def test_another_clinic_never_reaches_a_kept_file(
    client_a, client_b, portal_b, printer_a, attachments_dir
):
    token = fresh_token(client_a)
    send(client_a, token, attachments=upload("pantalla.png", SCREENSHOT))
    kept = StagedFile.objects.get()
    # Clinic B sends a form with A's token (as if it had seen it), says it kept files, and
    # presses "Quitar" on A's file: nothing of A's moves.
    response = send(client_b, token, quitar_archivo=str(kept.pk), archivos_guardados="1")
    assert "pantalla.png" not in response.content.decode()
    response = send(client_b, token, detail=PRINTER, otro_caso="1", archivos_guardados="1")
    assert response.status_code == 302
    assert Ticket.objects.get(clinic=portal_b.clinic).attachments.count() == 0
    assert StagedFile.objects.get() == kept
    assert len(stored_files(attachments_dir)) == 1


def test_two_tabs_of_one_user_never_mix_their_files(client_a, printer_a, attachments_dir):
    first_tab, second_tab = fresh_token(client_a), fresh_token(client_a)
    send(client_a, first_tab, attachments=upload("primera.png", SCREENSHOT))
    send(client_a, second_tab, attachments=upload("segunda.pdf", PDF))
    send(client_a, second_tab, otro_caso="1", archivos_guardados="1")
    ticket = Ticket.objects.exclude(pk=printer_a.pk).get()
    assert [a.name for a in ticket.attachments.all()] == ["segunda.pdf"]
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["primera.png"]


def test_kept_and_new_files_count_together_towards_the_limit(client_a, printer_a):
    token = fresh_token(client_a)
    four = [upload(f"captura{n}.png", SCREENSHOT) for n in range(MAX_FILES - 1)]
    send(client_a, token, attachments=four)
    more = [upload("otra.png", SCREENSHOT), upload("boleta.pdf", PDF)]
    response = send(client_a, token, attachments=more, archivos_guardados="4")
    assert "Este ticket ya tiene 4 y seleccionó 2." in response.content.decode()
    assert StagedFile.objects.count() == MAX_FILES - 1


def test_a_form_that_never_came_back_asks_nothing_more(
    client_a, django_assert_num_queries, printer_a
):
    token = fresh_token(client_a)
    with django_assert_num_queries(11):  # the bench's create_ticket count (docs/performance.json)
        assert send(client_a, token, otro_caso="1").status_code == 302


def test_information_added_on_a_tickets_page_keeps_its_files_after_an_error(
    client_a, printer_a, attachments_dir
):
    page = client_a.get(f"/soporte/tickets/{printer_a.code}").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)[1]
    url = f"/soporte/tickets/{printer_a.code}/informacion"
    data = {"submission_token": token, "text": ""}
    response = client_a.post(url, {**data, "attachments": upload("pantalla.png", SCREENSHOT)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Escriba la información que quiere agregar." in html
    assert "pantalla.png" in html and len(kept_ids(html)) == 1
    response = client_a.post(url, {**data, "text": "La boleta 123.", "archivos_guardados": "1"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.ticket, attachment.name) == (printer_a, "pantalla.png")
    assert download(client_a, printer_a, attachment) == SCREENSHOT
    # The same form sent again (a double click) adds the text once.
    client_a.post(url, {**data, "text": "La boleta 123."})
    assert TicketAddition.objects.count() == 1


def test_files_unused_for_a_day_are_removed_by_the_worker(client_a, printer_a, attachments_dir):
    send(client_a, fresh_token(client_a), attachments=upload("vieja.png", SCREENSHOT))
    send(client_a, fresh_token(client_a), attachments=upload("nueva.pdf", PDF))
    StagedFile.objects.filter(name="vieja.png").update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert staged_files_remove_unused() == 1
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["nueva.pdf"]
    assert len(stored_files(attachments_dir)) == 1


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_keeping_a_file_queues_its_removal_a_day_later(
    client_a, printer_a, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        send(client_a, fresh_token(client_a), attachments=upload("pantalla.png", SCREENSHOT))
    queued = DBTaskResult.objects.get(task_path=staged_files_expire.module_path)
    assert queued.run_after - before >= timedelta(days=1)
    assert queued.run_after - before < timedelta(days=1, minutes=5)


def test_a_kept_file_goes_to_one_ticket_once_and_only_its_uploaders(
    client_a, client_b, portal_a, portal_b, printer_a, attachments_dir
):
    from attachments import services
    from tickets.services import TicketError

    send(client_a, fresh_token(client_a), attachments=upload("pantalla.png", SCREENSHOT))
    kept = StagedFile.objects.get()
    ticket_b = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    # Clinic B's user cannot take clinic A's kept file to its own ticket.
    with pytest.raises(TicketError, match="ya no está disponible"):
        services.attach_files(ticket=ticket_b, uploaded_by=portal_b, files=[], staged=[kept])
    assert StagedFile.objects.get() == kept and not Attachment.objects.exists()
    # Taken once by its uploader; a second taking (another request meanwhile) is refused whole.
    services.attach_files(ticket=printer_a, uploaded_by=portal_a, files=[], staged=[kept])
    with pytest.raises(TicketError, match="ya no está disponible"):
        services.attach_files(ticket=printer_a, uploaded_by=portal_a, files=[], staged=[kept])
    assert list(Attachment.objects.values_list("ticket", "key")) == [(printer_a.pk, kept.key)]
