"""Timezones and working hours: one reading of a person's timezone name, and
one rule for how many working hours two timezones share.

An unknown name falls back to UTC, the zone a person has when nobody gave
theirs (people.User.timezone's default): names are checked when typed, so
only a name a tzdata update dropped gets here, and it is treated like an
unset one. It does not depend on the deployment (ORG_TIMEZONE), so a page,
an email and the matching engine read the same zone for the same person.
"""

import datetime as dt
import logging
import zoneinfo
from functools import lru_cache

logger = logging.getLogger(__name__)

FALLBACK_ZONE = dt.UTC

WORKDAY = (9, 17)
"""Working hours, local time, for the overlap of two timezones."""
WORKDAY_HOURS = WORKDAY[1] - WORKDAY[0]


@lru_cache(maxsize=1024)
def zone_of(name: str) -> dt.tzinfo:
    """The timezone of this IANA name, or UTC (said once in the log) if unknown."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.warning("Unknown timezone %r: using UTC", name)
        return FALLBACK_ZONE


@lru_cache(maxsize=4096)
def utc_offset_hours(name: str, on: dt.date) -> float:
    """Hours ahead of UTC at noon that day (daylight saving time as it is then)."""
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=zone_of(name))
    offset = noon.utcoffset() or dt.timedelta(0)
    return offset.total_seconds() / 3600


def hours_apart(zone_a: str, zone_b: str, on: dt.date) -> float:
    """Hours between two timezones that day, the short way round the clock (0 to 12)."""
    apart = abs(utc_offset_hours(zone_a, on) - utc_offset_hours(zone_b, on)) % 24
    return min(apart, 24 - apart)


def working_hours_overlap(zone_a: str, zone_b: str, on: dt.date) -> float:
    """Hours of the working day (WORKDAY, local time) two timezones share that
    day, 0 to WORKDAY_HOURS; a day may overlap the one before or after."""
    return max(WORKDAY_HOURS - hours_apart(zone_a, zone_b, on), 0.0)
