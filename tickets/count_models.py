"""How many visible tickets each clinic has, per area and state, kept by the database.

Triggers on ``tickets_ticket`` (tickets/count_triggers.py) add and subtract on every insert,
change of clinic, area, state or deletion mark, and delete, whatever wrote the row: a service,
the admin, a factory or a bulk load. The panel's totals and the history's counts read these
few rows instead of counting a clinic's tickets on every page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.states import Area, State


class TicketCount(models.Model):
    clinic = models.ForeignKey(
        "accounts.Clinic",
        verbose_name=_("clínica"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with clinic_id
    )
    area = models.CharField(_("área"), max_length=16, choices=Area.choices)
    state = models.CharField(_("estado"), max_length=40, choices=State.choices)
    count = models.IntegerField(_("tickets"), default=0)

    class Meta:
        verbose_name = _("total de tickets")
        verbose_name_plural = _("totales de tickets")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "area", "state"], name="ticket_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clinic_id}/{self.area}/{self.state}: {self.count}"
