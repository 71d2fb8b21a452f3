"""factory-boy factories: VetSync's read-only tables (written only here and by seed_demo)
and the portal's own records."""

import factory
from django.contrib.auth.hashers import make_password
from stdnum.cl import rut as stdnum_rut

from accounts.models import Clinic, User
from accounts.vetsync import VetSyncClinic, VetSyncUser
from tickets.counts import count_add
from vetsync_support.db_router import VETSYNC_ALIAS, vetsync_writes_allowed

DEFAULT_PASSWORD = "Clave.Correcta.2026"


def make_rut(number: int) -> str:
    body = str(number)
    return f"{body}-{stdnum_rut.calc_check_digit(body)}"


class VetSyncFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        database = VETSYNC_ALIAS

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with vetsync_writes_allowed():
            return super()._create(model_class, *args, **kwargs)


class VetSyncClinicFactory(VetSyncFactory):
    class Meta:
        model = VetSyncClinic

    rut = factory.Sequence(lambda n: make_rut(76_000_000 + n))
    name = factory.Sequence(lambda n: f"Clínica Veterinaria {n}")
    is_active = True


class VetSyncUserFactory(VetSyncFactory):
    class Meta:
        model = VetSyncUser

    class Params:
        raw_password = DEFAULT_PASSWORD

    clinic = factory.SubFactory(VetSyncClinicFactory)
    rut = factory.Sequence(lambda n: make_rut(12_000_000 + n))
    full_name = factory.Faker("name", locale="es_CL")
    email = factory.Sequence(lambda n: f"usuario{n}@clinica.cl")
    password = factory.LazyAttribute(lambda o: make_password(o.raw_password))
    is_active = True


def update_vetsync(instance, **fields) -> None:
    """Change a VetSync row as VetSync itself would (the portal never does)."""
    with vetsync_writes_allowed():
        type(instance).objects.filter(pk=instance.pk).update(**fields)
    for name, value in fields.items():
        setattr(instance, name, value)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("vetsync_id",)

    vetsync_id = factory.Sequence(lambda n: 10_000 + n)
    rut = factory.Sequence(lambda n: make_rut(70_000_000 + n))
    name = factory.Sequence(lambda n: f"Clínica Local {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agente{n}")
    first_name = factory.Faker("first_name", locale="es_CL")
    last_name = factory.Faker("last_name", locale="es_CL")
    email = factory.Sequence(lambda n: f"agente{n}@smartautomate.cl")
    is_staff = True
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))


class ClinicUserFactory(factory.django.DjangoModelFactory):
    """A clinic user as the login mirrors it (for tests that need no VetSync row)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    vetsync_id = factory.Sequence(lambda n: 50_000 + n)
    username = factory.LazyAttribute(lambda o: f"vetsync-{o.clinic.vetsync_id}-{o.vetsync_id}")
    rut = factory.Sequence(lambda n: make_rut(13_000_000 + n))
    full_name = factory.Faker("name", locale="es_CL")
    email = factory.Sequence(lambda n: f"clinica{n}@example.cl")
    password = "!"  # unusable, as for every mirrored user


DETAIL = (
    "Al emitir una factura comercial, el portal muestra un error en la confirmación del pago "
    "y no actualiza el estado de la suscripción. Ocurrió el 29-04-2026 cerca de las 10:30."
)


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket as ticket_create leaves it: a code from the day's sequence, a creation event,
    counted in TicketCount."""

    class Meta:
        model = "tickets.Ticket"
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    requester = factory.SubFactory(ClinicUserFactory, clinic=factory.SelfAttribute("..clinic"))
    area = "soporte"
    state = "abierto"
    detail = DETAIL
    code = factory.LazyFunction(lambda: _next_code())

    @factory.post_generation
    def created_event(obj, create, extracted, **kwargs):
        if create:
            obj.events.create(actor=obj.requester, kind="created", to_state="abierto")
            if obj.deleted_at is None:
                count_add(obj, state=obj.state, delta=1)


def _next_code() -> str:
    from tickets.codes import next_ticket_code

    return next_ticket_code()
