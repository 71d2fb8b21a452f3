"""The demo clinics and users that ``manage.py seed_demo`` loads into the embedded database."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    rut: str
    full_name: str
    email: str | None
    password: str
    is_active: bool = True
    hash_kind: str = "django"  # "django" (the default hasher) or "bcrypt" (a bare $2y$ hash)


@dataclass(frozen=True)
class DemoClinic:
    rut: str
    name: str
    users: tuple[DemoUser, ...]
    is_active: bool = True


DEMO_CLINICS = (
    DemoClinic(
        rut="76123456-0",
        name="Clínica Veterinaria Mevetlab",
        users=(
            DemoUser("12345678-5", "Fernando Pérez", "fernando@mevetlab.cl", "Mevetlab.2026"),
            DemoUser(
                "15987654-3",
                "Camila Rojas",
                "camila@mevetlab.cl",
                "Recepcion.2026",
                hash_kind="bcrypt",
            ),
            DemoUser("9876543-3", "Jorge Soto (inactivo)", None, "Inactivo.2026", is_active=False),
        ),
    ),
    DemoClinic(
        rut="77654321-7",
        name="Hospital Veterinario Austral",
        users=(DemoUser("16543210-K", "Valentina Muñoz", "valentina@austral.cl", "Austral.2026"),),
    ),
    DemoClinic(
        rut="78111222-4",
        name="Clínica Los Aromos (inactiva)",
        is_active=False,
        users=(DemoUser("11111111-1", "Pedro Díaz", None, "Aromos.2026"),),
    ),
)
