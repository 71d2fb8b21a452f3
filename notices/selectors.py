"""The notices a clinic sees: those in force now, for every clinic or for this one."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Clinic
from notices.models import Notice


def notice_list_in_force(*, clinic: Clinic) -> list[Notice]:
    """The notices in force now for this clinic, interruptions first, newest first: one
    query, whatever the number of clinics a notice names."""
    now = timezone.now()
    chosen = Notice.clinics.through.objects.filter(clinic_id=clinic.pk).values("notice_id")
    notices: QuerySet[Notice] = (
        Notice.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .filter(Q(all_clinics=True) | Q(pk__in=chosen))
        .only("text", "level", "starts_at", "ends_at")
        .order_by(
            Case(
                When(level=Notice.Level.INTERRUPCION, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-starts_at",
            "-id",
        )
    )
    return list(notices)
