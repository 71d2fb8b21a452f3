"""Authentication against the VetSync user tables: clinic RUT, user RUT and password."""

import logging

from django.contrib.auth.backends import BaseBackend

from accounts.models import User
from accounts.passwords import run_dummy_hash, verify_vetsync_password
from accounts.ruts import InvalidRut, normalize_rut
from accounts.selectors import vetsync_user_for_login
from accounts.services import clinic_user_sync

logger = logging.getLogger("vetsync.auth")


class VetSyncBackend(BaseBackend):
    """Unknown clinic, unknown user and wrong password all return None after one hash of the
    same cost; only the right password learns (``request.vetsync_inactive``) of an inactive
    account. On success the user is mirrored locally."""

    def authenticate(self, request, clinic_rut=None, user_rut=None, password=None, **kwargs):
        if clinic_rut is None or user_rut is None or password is None:
            return None
        try:
            vetsync_user = vetsync_user_for_login(
                clinic_rut=normalize_rut(clinic_rut), user_rut=normalize_rut(user_rut)
            )
        except InvalidRut:
            vetsync_user = None
        if vetsync_user is None:
            run_dummy_hash(password)
            return None
        if not verify_vetsync_password(password, vetsync_user.password):
            return None
        if not (vetsync_user.is_active and vetsync_user.clinic.is_active):
            if request is not None:
                request.vetsync_inactive = True
            return None
        return clinic_user_sync(vetsync_user=vetsync_user)

    def get_user(self, user_id):
        return User.objects.select_related("clinic").filter(pk=user_id, is_active=True).first()
