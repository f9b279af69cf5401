"""Working-day arithmetic for due dates: Saturdays, Sundays and the
organisation's holidays are not working days. Pure: no Django, no database.

Dates are calendar dates. A new hire's start date is a date in their own
timezone, so every date computed from it is a date in that zone too.
"""

from collections.abc import Collection
from datetime import date, timedelta

SATURDAY = 5
ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def first_working_day(day: date, holidays: Collection[date]) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day, holidays):
        day += ONE_DAY
    return day


def add_working_days(start: date, offset: int, holidays: Collection[date]) -> date:
    """The working day `offset` working days from day one.

    Day one is the first working day on or after `start`, and offset 0 is
    day one itself. Positive offsets count forwards; negative ones count
    backwards, so -1 is the last working day before day one.
    """
    return _count_working_days(first_working_day(start, holidays), offset, holidays)


def last_working_day(day: date, holidays: Collection[date]) -> date:
    """The day itself if it is a working day, else the one before."""
    while not is_working_day(day, holidays):
        day -= ONE_DAY
    return day


def count_from_last_day(last_day: date, offset: int, holidays: Collection[date]) -> date:
    """The working day `offset` working days from a last day (offboarding).

    Offset 0 is the last working day on or before `last_day` (someone whose
    last day is a Saturday hands in their laptop on Friday); -1 is the working
    day before it. Positive offsets count forwards from there."""
    return _count_working_days(last_working_day(last_day, holidays), offset, holidays)


def _count_working_days(day: date, offset: int, holidays: Collection[date]) -> date:
    """The working day `offset` working days after `day` (before it when negative)."""
    step = ONE_DAY if offset >= 0 else -ONE_DAY
    remaining = abs(offset)
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, holidays: Collection[date]) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is
    before `a`. A task due on Friday is 1 working day overdue on Monday."""
    if b < a:
        return -working_days_between(b, a, holidays)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        if is_working_day(day, holidays):
            count += 1
    return count
