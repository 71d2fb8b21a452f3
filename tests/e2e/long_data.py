"""Data at its longest for the finished screens' browser tests (test_finished_screens.py): a
clinic and a person with 200-character names, a 254-character e-mail, a 100-character file
name, a pasted URL, and tickets in the longest state and area labels. Loaded into the browser
tests' server with `manage.py shell -c` (LOAD_VETSYNC, then LOAD_TICKETS after a login)."""

CLINIC_RUT, USER_RUT, OTHER_RUT = "78.123.456-7", "13.579.246-2", "11.222.333-9"
PASSWORD = "Larga.2026"
WORDS = "Centro Médico Veterinario Integral de Especialidades y Urgencias del Sur Austral "
CLINIC_NAME = (WORDS * 3)[:200].strip()
PERSON = ("María Fernanda de los Ángeles Valenzuela Sepúlveda Riquelme " * 4)[:200].strip()
LOCAL = "maria.fernanda.valenzuela.sepulveda.riquelme.de.los.angeles.2026"  # 64 characters
DOMAIN = ".".join(["clinica-veterinaria-integral-de-especialidades-del-sur-austral"] * 3)
EMAIL = f"{LOCAL}@{DOMAIN}.cl"[:254]
FILE_NAME = ("captura-de-pantalla-del-error-al-emitir-la-boleta-electronica-" * 2)[:96] + ".png"
URL = (
    "https://vetsync.example/clinica/ventas/boletas/emitir?folio=123456789&caja=principal"
    "&usuario=maria.fernanda&paso=confirmacion-de-pago-con-tarjeta-de-credito-en-cuotas"
)
DETAIL = (
    "Al emitir la boleta electrónica de la venta 123456 la pantalla de caja queda cargando y "
    f"luego muestra un error. Copio la dirección que aparece en el navegador: {URL} "
    "Ocurrió el 02-12-2026 cerca de las 10:30, usuaria María Fernanda."
)


def _bare(rut: str) -> str:
    return rut.replace(".", "")


def load_vetsync() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.vetsync import VetSyncClinic, VetSyncUser
    from vetsync_support.db_router import VETSYNC_ALIAS, vetsync_writes_allowed

    with vetsync_writes_allowed(), transaction.atomic(using=VETSYNC_ALIAS):
        clinic, _ = VetSyncClinic.objects.update_or_create(
            rut=_bare(CLINIC_RUT), defaults={"name": CLINIC_NAME, "is_active": True}
        )
        for rut, email in ((USER_RUT, "maria@example.cl"), (OTHER_RUT, EMAIL)):
            VetSyncUser.objects.update_or_create(
                clinic=clinic,
                rut=_bare(rut),
                defaults={
                    "full_name": PERSON,
                    "email": email,
                    "password": make_password(PASSWORD),
                    "is_active": True,
                },
            )


def load_tickets() -> None:
    """After the person's first login (the portal's copy of them is made then); prints the
    answered ticket's code and id, the closed one's code and the open one's code."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from attachments.forms import CheckedFile
    from attachments.services import attach_files
    from tests.attachments.files import png
    from tickets import services

    requester = User.objects.get(clinic__rut=_bare(CLINIC_RUT), email="maria@example.cl")
    agent = User.objects.get(username="agente.e2e")
    # An agent whose names fill their columns (150 characters each), assigned to a ticket.
    long_named, _ = User.objects.update_or_create(
        username="agente.nombre.largo",
        defaults={"is_staff": True, "first_name": PERSON[:150], "last_name": PERSON[50:200]},
    )

    def new(area: str):
        return services.ticket_create(
            clinic=requester.clinic, requester=requester, area=area, detail=DETAIL
        )[0]

    answered = new("comercial")
    services.ticket_assign(ticket=answered, agent=long_named, actor=agent)
    services.ticket_respond(ticket=answered, author=agent, text=f"Revisamos la caja: {URL} ok.")
    services.ticket_add_information(ticket=answered, author=requester, text=f"Otra: {URL}")
    data = png()
    upload = SimpleUploadedFile(FILE_NAME, data)
    attach_files(
        ticket=answered,
        uploaded_by=requester,
        files=[CheckedFile(upload, FILE_NAME, len(data), "image/png")],
    )
    closed = new("soporte")
    services.ticket_transition(
        ticket=closed, to_state="cerrado_responsabilidad_cliente", actor=agent
    )
    still_open = new("soporte")
    print(answered.code, answered.pk, closed.code, still_open.code)


LOAD_VETSYNC = "from tests.e2e.long_data import load_vetsync; load_vetsync()"
LOAD_TICKETS = "from tests.e2e.long_data import load_tickets; load_tickets()"
