"""The local mirror of the VetSync clinic and user, refreshed at each login (accounts/services.py)
with no password (clinic users' is unusable). Agents are Django staff users with no clinic."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.ruts import format_rut
from accounts.vetsync import VetSyncClinic, VetSyncUser

__all__ = ["AGENT", "Clinic", "User", "VetSyncClinic", "VetSyncUser"]

# Who is an agent: a staff account of no clinic (SmartAutomate's people). ``User.is_agent`` says
# the same of one user; tests/accounts/test_admin_access.py keeps the two equal.
AGENT = Q(is_staff=True, clinic__isnull=True)


class Clinic(models.Model):
    vetsync_id = models.IntegerField(_("ID en VetSync"), unique=True)
    rut = models.CharField(_("RUT clínica"), max_length=12, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    synced_at = models.DateTimeField(_("última sincronización"), auto_now=True)

    class Meta:
        verbose_name = _("clínica")
        verbose_name_plural = _("clínicas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def formatted_rut(self) -> str:
        return format_rut(self.rut)


class User(AbstractUser):
    """A portal user: a clinic user mirrored from VetSync, or a SmartAutomate agent."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clínica"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    vetsync_id = models.IntegerField(_("ID en VetSync"), null=True, blank=True)
    rut = models.CharField(_("RUT usuario"), max_length=12, blank=True)
    full_name = models.CharField(_("nombre completo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "vetsync_id"],
                condition=Q(clinic__isnull=False),
                name="accounts_user_clinic_vetsync_id_uniq",
            ),
            # A clinic user can never be staff: the admin is for SmartAutomate agents only.
            models.CheckConstraint(
                condition=Q(clinic__isnull=True) | Q(is_staff=False, is_superuser=False),
                name="accounts_user_clinic_user_not_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_clinic_user(self) -> bool:
        return self.clinic_id is not None

    @property
    def is_agent(self) -> bool:
        return self.is_staff and self.clinic_id is None

    @property
    def display_name(self) -> str:
        return person_display_name(self.full_name, self.first_name, self.last_name, self.username)


def person_display_name(full_name: str, first_name: str, last_name: str, username: str) -> str:
    """How the portal names a person: VetSync's full name for a clinic user, an agent's first
    and last names, or else the username (``User.display_name``, and rows read by SQL)."""
    return full_name or f"{first_name} {last_name}".strip() or username
