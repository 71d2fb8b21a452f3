"""Reads of the canned answers."""

from django.db.models import Q, QuerySet

from canned_answers.models import ALL_AREAS, CannedAnswer


def canned_answers_for_area(*, area: str) -> QuerySet[CannedAnswer]:
    """The active answers offered on a ticket of ``area``: that area's and every area's, by
    title. The table is small (tens of rows): one query, no index needed."""
    return CannedAnswer.objects.filter(Q(area=area) | Q(area=ALL_AREAS), is_active=True).only(
        "id", "title", "text", "area"
    )


def canned_answers_by_id(*, ids: list[int], area: str) -> list[CannedAnswer]:
    """The answers among ``ids`` that fit a ticket of ``area`` (active or not: one retired
    while the agent was writing still counts), in the order of ``ids``."""
    found = CannedAnswer.objects.filter(Q(area=area) | Q(area=ALL_AREAS), pk__in=ids)
    by_id = {answer.pk: answer for answer in found}
    return [by_id[pk] for pk in ids if pk in by_id]
