"""Reads of the response-time targets. Every due time, queue and report asks here."""

from dataclasses import dataclass
from datetime import timedelta

from service_levels.models import ResponseTarget


@dataclass(frozen=True)
class Targets:
    first_response: timedelta  # business time from creation to the first team response
    resolution: timedelta  # business time from creation to a closed state


def response_targets() -> dict[str, Targets]:
    """The targets of every area that has them, by area value (``"soporte"``)."""
    return {
        target.area: Targets(target.first_response, target.resolution)
        for target in ResponseTarget.objects.all()
    }


def response_targets_for(area: str) -> Targets | None:
    target = ResponseTarget.objects.filter(area=area).first()
    return None if target is None else Targets(target.first_response, target.resolution)
