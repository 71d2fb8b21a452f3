"""What the reports read per ticket, kept by reports/services.py as tickets change: the first
response and first closing, their business times and whether each met its target, measured once
when it happens. ``manage.py rebuild_report_timings`` computes it again from the tickets."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.states import Area, State


class TicketTiming(models.Model):
    """One row per ticket not deleted by its clinic. Measured once, the business durations cost
    nothing per report: business_duration takes ~70 µs a call, so measuring a month of 1,000,000
    tickets' responses and closings (~50,000) on each request would take ~3.5 s; here, ~10 ms."""

    ticket = models.OneToOneField(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    clinic = models.ForeignKey(
        "accounts.Clinic",
        verbose_name=_("clínica"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # read through timing_created_idx
    )
    area = models.CharField(_("área"), max_length=16, choices=Area.choices)
    created_at = models.DateTimeField(_("fecha de creación"))
    # The days (America/Santiago) of the three moments: the reports filter and group by these.
    # Grouping timestamps by week in Santiago converts each row's time zone: on the bench's
    # 200,000 tickets, two years of created tickets per week took 185 ms by created_at and
    # 73 ms by created_day (EXPLAIN ANALYZE); the whole page, 1.15-1.37 s and 0.87 s.
    created_day = models.DateField(_("día de creación"))
    first_response_at = models.DateTimeField(_("primera respuesta"), null=True, blank=True)
    first_response_day = models.DateField(_("día de la primera respuesta"), null=True, blank=True)
    first_response_seconds = models.IntegerField(
        _("primera respuesta (segundos hábiles)"), null=True, blank=True
    )
    # Met: done by the due moment (target_met); None without a due time. Kept so "within
    # target" is a count over the index, not a judgement of every row on every report.
    first_response_met = models.BooleanField(_("primera respuesta a tiempo"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("cerrado por primera vez"), null=True, blank=True)
    resolved_day = models.DateField(_("día del primer cierre"), null=True, blank=True)
    resolution_seconds = models.IntegerField(
        _("resolución (segundos hábiles)"), null=True, blank=True
    )
    resolution_met = models.BooleanField(_("resolución a tiempo"), null=True, blank=True)
    closed_state = models.CharField(
        _("cerrado como"), max_length=40, choices=State.choices, blank=True
    )
    is_open = models.BooleanField(_("abierto o en proceso"), default=True)

    class Meta:
        verbose_name = _("tiempos del ticket")
        verbose_name_plural = _("tiempos de los tickets")
        # The reports read ranges of these moments; each index carries the columns its
        # query groups by, so PostgreSQL answers from the index alone (index-only scans).
        indexes = [
            models.Index(fields=["created_day", "area", "clinic"], name="timing_created_idx"),
            models.Index(
                fields=[
                    "first_response_day",
                    "area",
                    "first_response_seconds",
                    "first_response_met",
                ],
                condition=Q(first_response_day__isnull=False),
                name="timing_first_response_idx",
            ),
            models.Index(
                fields=[
                    "resolved_day",
                    "area",
                    "closed_state",
                    "resolution_seconds",
                    "resolution_met",
                ],
                condition=Q(resolved_day__isnull=False),
                name="timing_resolved_idx",
            ),
            # The open backlog's ages. On tickets_ticket (ticket_state_created_idx) the same
            # count reads the wide tickets' pages: 30-43 ms warm, 106 ms cold, for 13,400 open
            # tickets of 200,000 on the bench data, against 6.5 ms here.
            models.Index(
                fields=["created_at", "area"], condition=Q(is_open=True), name="timing_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return str(self.ticket_id)
