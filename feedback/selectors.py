"""Reads of the clinics' answers to "¿Se resolvió su problema?".

A clinic reads its ticket's answer with the ticket itself (tickets/sql.py, ``TICKET``); what is
here is the agents' read over every clinic, for the admin."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from feedback.models import Feedback


@dataclass(frozen=True)
class MonthlyRate:
    """A month's answers (America/Santiago) and how many said "Sí, quedó resuelto"."""

    month: datetime
    answers: int
    solved: int

    @property
    def share(self) -> float:
        """The percentage of "Sí" answers, 0-100."""
        return 100 * self.solved / self.answers if self.answers else 0.0


def feedback_monthly_rates(*, answers: QuerySet[Feedback] | None = None) -> list[MonthlyRate]:
    """Per month, newest first: the answers and the "Sí" among them, in one aggregate query.
    ``answers`` narrows them (the admin's filtered list); all of them by default."""
    queryset = Feedback.objects.all() if answers is None else answers
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(answers=Count("id"), solved=Count("id", filter=Q(solved=True)))
        .order_by("-month")
    )
    return [MonthlyRate(row["month"], row["answers"], row["solved"]) for row in rows]
