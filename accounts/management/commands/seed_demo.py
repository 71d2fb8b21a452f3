"""Load the demo VetSync clinics and users into the embedded database (idempotent)."""

import bcrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo_data import DEMO_CLINICS, DemoUser
from accounts.passwords import verify_vetsync_password
from accounts.ruts import format_rut
from accounts.vetsync import VetSyncClinic, VetSyncUser
from accounts.vetsync_schema import create_vetsync_tables
from vetsync_support.db_router import VETSYNC_ALIAS, vetsync_writes_allowed


def _hash(user: DemoUser, stored: VetSyncUser | None) -> str:
    if stored is not None and verify_vetsync_password(user.password, stored.password):
        return stored.password  # a rerun keeps the hash that still matches
    if user.hash_kind == "bcrypt":
        # A bare bcrypt hash as PHP writes it ($2y$), the way VetSync stores many users.
        hashed = bcrypt.hashpw(user.password.encode(), bcrypt.gensalt(rounds=10)).decode()
        return "$2y$" + hashed[4:]
    return make_password(user.password)


class Command(BaseCommand):
    help = "Create the VetSync contract tables in the embedded database and load demo clinics."

    def handle(self, *args, **options):
        if not settings.VETSYNC_DATABASE_IS_EMBEDDED:
            raise CommandError(
                "VETSYNC_DATABASE_URL apunta a una base VetSync externa: seed_demo no escribe en "
                "ella. / seed_demo refuses to write to an external VetSync database."
            )
        if created := create_vetsync_tables():
            self.stdout.write(f"Created tables: {', '.join(created)}")
        with vetsync_writes_allowed(), transaction.atomic(using=VETSYNC_ALIAS):
            for demo_clinic in DEMO_CLINICS:
                clinic, _ = VetSyncClinic.objects.update_or_create(
                    rut=demo_clinic.rut,
                    defaults={"name": demo_clinic.name, "is_active": demo_clinic.is_active},
                )
                for demo_user in demo_clinic.users:
                    user = VetSyncUser.objects.filter(clinic=clinic, rut=demo_user.rut).first()
                    VetSyncUser.objects.update_or_create(
                        clinic=clinic,
                        rut=demo_user.rut,
                        defaults={
                            "full_name": demo_user.full_name,
                            "email": demo_user.email,
                            "password": _hash(demo_user, user),
                            "is_active": demo_user.is_active,
                        },
                    )
        self.stdout.write("")
        self.stdout.write("Demo credentials (http://127.0.0.1:8000/soporte/login):")
        self.stdout.write(f"  {'RUT clínica':<14} {'RUT usuario':<13} {'Password':<16} Notes")
        for demo_clinic in DEMO_CLINICS:
            for demo_user in demo_clinic.users:
                notes = [demo_clinic.name]
                if not demo_clinic.is_active:
                    notes.append("clinic inactive")
                if not demo_user.is_active:
                    notes.append("user inactive")
                if demo_user.hash_kind == "bcrypt":
                    notes.append("bare bcrypt hash")
                self.stdout.write(
                    f"  {format_rut(demo_clinic.rut):<14} {format_rut(demo_user.rut):<13} "
                    f"{demo_user.password:<16} {demo_user.full_name} — {'; '.join(notes)}"
                )
