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
    """Checks the password against VetSync's hash and mirrors the user locally on success.

    Unknown clinic, unknown user and wrong password all return None after one password
    hash of the same cost. Only a caller who typed the right password is told, through
    ``request.vetsync_inactive``, that the user or clinic is inactive.
    """

    def authenticate(self, request, clinic_rut=None, user_rut=None, password=None, **kwargs):
        if clinic_rut is None or user_rut is None or password is None:
            return None
        try:
            clinic_rut = normalize_rut(clinic_rut)
            user_rut = normalize_rut(user_rut)
        except InvalidRut:
            run_dummy_hash(password)
            return None
        vetsync_user = vetsync_user_for_login(clinic_rut=clinic_rut, user_rut=user_rut)
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
