"""Reads of the response-time targets. Every due time, queue and report asks here."""

from service_levels.models import ResponseTarget, Targets


def response_targets() -> dict[str, Targets]:
    """The targets of every area that has them, by area value (``"soporte"``)."""
    return {target.area: target.targets for target in ResponseTarget.objects.all()}


def response_targets_for(area: str) -> Targets | None:
    target = ResponseTarget.objects.filter(area=area).first()
    return None if target is None else target.targets
