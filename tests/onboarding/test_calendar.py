"""Working days: weekends and holidays skipped, negative offsets counted back
from day one, a start date on a weekend moved to the next working day."""

from datetime import date, timedelta

import pytest

from onboarding.calendar import (
    add_working_days,
    first_working_day,
    is_working_day,
    working_days_between,
)

MON = date(2026, 11, 30)  # a Monday; Friday 4 December, Monday 7 December...
CHRISTMAS = {date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)}  # Thu, Fri, Fri


@pytest.mark.parametrize(
    "start,offset,expected",
    [
        (MON, 0, MON),
        (MON, 1, date(2026, 12, 1)),
        (MON, 4, date(2026, 12, 4)),  # Friday
        (MON, 5, date(2026, 12, 7)),  # over the weekend to Monday
        (MON, 10, date(2026, 12, 14)),
        (MON, 19, date(2026, 12, 25)),  # no holidays given: Christmas is a working day
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 is Monday
        (date(2026, 12, 3), 2, date(2026, 12, 7)),  # Thursday + 2 is Monday
    ],
)
def test_it_counts_working_days_forwards_over_weekends(start, offset, expected):
    assert add_working_days(start, offset, set()) == expected


@pytest.mark.parametrize(
    "start,offset,expected",
    [
        (MON, -1, date(2026, 11, 27)),  # the Friday before day one
        (MON, -2, date(2026, 11, 26)),
        (MON, -5, date(2026, 11, 23)),
        (MON, -6, date(2026, 11, 20)),
        (date(2026, 12, 2), -2, MON),  # Wednesday - 2 is Monday
        (date(2026, 12, 2), -3, date(2026, 11, 27)),
    ],
)
def test_it_counts_negative_offsets_back_from_day_one(start, offset, expected):
    assert add_working_days(start, offset, set()) == expected


@pytest.mark.parametrize(
    "start,offset,expected",
    [
        (date(2026, 11, 28), 0, MON),  # Saturday start: day one is Monday
        (date(2026, 11, 29), 0, MON),  # Sunday start
        (date(2026, 11, 29), 1, date(2026, 12, 1)),  # counted from Monday, not Sunday
        (date(2026, 11, 29), -1, date(2026, 11, 27)),  # the Friday before day one
        (date(2026, 12, 26), 0, date(2026, 12, 28)),
    ],
)
def test_it_starts_a_weekend_start_on_the_next_working_day(start, offset, expected):
    assert add_working_days(start, offset, set()) == expected


@pytest.mark.parametrize(
    "start,offset,expected",
    [
        (date(2026, 12, 23), 1, date(2026, 12, 28)),  # Wed + 1 skips Thu, Fri and the weekend
        (date(2026, 12, 22), 2, date(2026, 12, 28)),
        (date(2026, 12, 24), 0, date(2026, 12, 28)),  # a holiday start: day one after it
        (date(2026, 12, 24), -1, date(2026, 12, 23)),
        (date(2026, 12, 28), -1, date(2026, 12, 23)),  # back over the weekend and both holidays
        (date(2026, 12, 28), 4, date(2027, 1, 4)),  # Mon + 4 would be New Year's Day
        (date(2026, 12, 21), 10, date(2027, 1, 7)),
    ],
)
def test_it_skips_the_organisations_holidays(start, offset, expected):
    assert add_working_days(start, offset, CHRISTMAS) == expected


def test_it_never_lands_on_a_weekend_or_a_holiday():
    for offset in range(-30, 60):
        due = add_working_days(date(2026, 12, 20), offset, CHRISTMAS)
        assert is_working_day(due, CHRISTMAS), (offset, due)


def test_it_gives_a_different_working_day_for_each_offset_in_order():
    days = [add_working_days(MON, offset, CHRISTMAS) for offset in range(-20, 40)]
    assert days == sorted(set(days))


def test_it_knows_working_days_from_weekends_and_holidays():
    assert is_working_day(MON, set())
    assert not is_working_day(date(2026, 11, 28), set())  # Saturday
    assert not is_working_day(date(2026, 11, 29), set())  # Sunday
    assert not is_working_day(date(2026, 12, 25), CHRISTMAS)
    assert first_working_day(date(2026, 12, 24), CHRISTMAS) == date(2026, 12, 28)
    assert first_working_day(MON, CHRISTMAS) == MON


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (MON, MON, 0),
        (MON, date(2026, 12, 1), 1),
        (date(2026, 12, 4), date(2026, 12, 7), 1),  # due Friday, Monday is 1 day late
        (date(2026, 12, 4), date(2026, 12, 6), 0),  # ...and Sunday is not yet
        (MON, date(2026, 12, 14), 10),
        (date(2026, 12, 7), date(2026, 12, 4), -1),
        (date(2026, 12, 23), date(2026, 12, 28), 1),  # over Christmas and the weekend
        (date(2026, 12, 28), date(2026, 12, 23), -1),
    ],
)
def test_it_counts_working_days_between_two_dates(a, b, expected):
    assert working_days_between(a, b, CHRISTMAS) == expected


def test_it_counts_between_as_the_inverse_of_adding():
    start = date(2026, 12, 21)
    for offset in range(-15, 30):
        due = add_working_days(start, offset, CHRISTMAS)
        assert working_days_between(start, due, CHRISTMAS) == offset
        assert (
            add_working_days(start, working_days_between(start, due, CHRISTMAS), CHRISTMAS) == due
        )


def test_it_agrees_with_counting_day_by_day_over_a_year():
    holidays = {date(2027, 4, 2), date(2027, 4, 5), date(2027, 5, 3), date(2027, 12, 27)}
    start = date(2027, 1, 4)
    working = [
        d
        for d in (start + timedelta(days=n) for n in range(366))
        if d.weekday() < 5 and d not in holidays
    ]
    for offset in (0, 1, 7, 33, 64, 65, 80, 150, 200):
        assert add_working_days(start, offset, holidays) == working[offset]
