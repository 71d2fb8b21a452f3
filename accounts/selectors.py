"""Reads of the VetSync user tables (read-only) and of the local mirror."""

from accounts.models import User
from accounts.vetsync import VetSyncUser


def vetsync_user_for_login(*, clinic_rut: str, user_rut: str) -> VetSyncUser | None:
    """The VetSync user with these normalized RUTs, with its clinic, whatever its state."""
    users = VetSyncUser.objects.select_related("clinic")
    return users.filter(clinic__rut=clinic_rut, rut=user_rut).first()


def vetsync_account_is_active(*, user: User) -> bool:
    """One indexed query: is the mirrored user, and its clinic, still active in VetSync?"""
    if user.vetsync_id is None or user.clinic is None:
        return False
    return VetSyncUser.objects.filter(
        pk=user.vetsync_id, clinic_id=user.clinic.vetsync_id, is_active=True, clinic__is_active=True
    ).exists()
