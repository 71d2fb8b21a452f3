"""How soon the team typically answers an area ("Normalmente respondemos en …"): the median
business first response of the area's tickets (any clinic's) answered in the last 30 days."""

from datetime import timedelta
from statistics import median

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from service_levels.business_hours import BUSINESS_DAY, business_duration
from tickets.models import Ticket
from vetsync_support.caching import kept

WINDOW = timedelta(days=30)
MIN_ANSWERED = 10  # fewer answered tickets in the window: no typical time is shown
# The latest first responses at most: ~10 µs of arithmetic each, so a recomputation stays ~50 ms.
MAX_SAMPLE = 5_000
CACHE_SECONDS = 5 * 60
NOT_ENOUGH = -1  # cached for an area without enough answered tickets (None is a cache miss)


def compute_typical_first_response(area: str) -> timedelta | None:
    """The median, or None with fewer than MIN_ANSWERED; on ticket_area_first_response_idx."""
    pairs = (
        Ticket.objects.filter(area=area, first_response_at__gte=timezone.now() - WINDOW)
        .order_by("-first_response_at")
        .values_list("created_at", "first_response_at")[:MAX_SAMPLE]
    )
    seconds = [
        business_duration(created, answered).total_seconds()
        for created, answered in pairs
        if answered is not None
    ]
    if len(seconds) < MIN_ANSWERED:
        return None
    return timedelta(seconds=median(seconds))


def typical_first_response(area: str) -> timedelta | None:
    def seconds_or_not_enough() -> float:
        typical = compute_typical_first_response(area)
        return NOT_ENOUGH if typical is None else typical.total_seconds()

    seconds = kept(f"tickets:typical-first-response:{area}", CACHE_SECONDS, seconds_or_not_enough)
    return None if seconds == NOT_ENOUGH else timedelta(seconds=seconds)


def business_time_words(duration: timedelta, *, short: bool = False) -> str:
    """ "45 min hábiles", "3 h 20 min hábiles", "1 día hábil y 2 h", "2 días hábiles": minutes
    rounded, and dropped once a day is counted. ``short``, for a column whose header says the
    time is business time: "45 min", "3 h 20 min", "1 d 2 h", "2 d"."""
    minutes = max(1, round(duration.total_seconds() / 60))
    day_minutes = int(BUSINESS_DAY.total_seconds() // 60)
    days, rest = divmod(minutes, day_minutes)
    hours, minutes = divmod(rest, 60)
    if days:
        if minutes >= 30:
            hours += 1
        if hours == 9:
            days, hours = days + 1, 0
        if short and not hours:
            return _("%(days)d d") % {"days": days}
        if short:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        day_words = ngettext("%(n)d día hábil", "%(n)d días hábiles", days) % {"n": days}
        if not hours:
            return day_words
        return _("%(days)s y %(hours)d h") % {"days": day_words, "hours": hours}
    if short:
        parts = [_("%(hours)d h") % {"hours": hours}] if hours else []
        if minutes or not hours:
            parts.append(_("%(minutes)d min") % {"minutes": minutes})
        return " ".join(parts)
    if not hours:
        return _("%(minutes)d min hábiles") % {"minutes": minutes}
    if not minutes:
        return _("%(hours)d h hábiles") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min hábiles") % {"hours": hours, "minutes": minutes}
