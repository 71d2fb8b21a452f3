"""Changes to the local mirror of VetSync clinics and users."""

from django.db import transaction

from accounts.models import Clinic, User
from accounts.vetsync import VetSyncUser


@transaction.atomic
def clinic_user_sync(*, vetsync_user: VetSyncUser) -> User:
    """Create or refresh the local mirror of a VetSync user and its clinic (never the password)."""
    vetsync_clinic = vetsync_user.clinic
    clinic, _ = Clinic.objects.update_or_create(
        vetsync_id=vetsync_clinic.pk,
        defaults={"rut": vetsync_clinic.rut, "name": vetsync_clinic.name},
    )
    user = User.objects.filter(clinic=clinic, vetsync_id=vetsync_user.pk).first()
    if user is None:
        user = User(clinic=clinic, vetsync_id=vetsync_user.pk)
        user.set_unusable_password()
    user.username = f"vetsync-{vetsync_clinic.pk}-{vetsync_user.pk}"
    user.rut = vetsync_user.rut
    user.full_name = vetsync_user.full_name[:200]
    user.email = (vetsync_user.email or "")[:254]
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.save()
    return user
