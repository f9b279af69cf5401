"""The rules about people that more than one entry point asks, each in one
place: the services, the CSV checks, the sign-in backends and the daily sweep
all call these instead of writing their own.

Pure functions: no queries, so a bulk check (the import) and a single one
(the admin, the API) ask exactly the same question.
"""

import datetime as dt
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils import timezone

Key = TypeVar("Key", bound=Hashable)


def organisation_today() -> dt.date:
    """Today where the organisation is (settings.TIME_ZONE), not where the
    server or the person reading is: a last day ends at the same moment for
    every entry point."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def last_day_has_come(end_date: dt.date | None, *, today: dt.date | None = None) -> bool:
    """From their last day a person can no longer sign in (issue 11): a last
    day of today counts as come."""
    if end_date is None:
        return False
    return end_date <= (today or organisation_today())


def may_sign_in(person) -> bool:
    """Active, and their last day (if any) still to come. The sign-in
    backends and allauth ask this, so someone whose last day has come is
    refused even before the daily sweep deactivates them."""
    return bool(person.is_active) and not last_day_has_come(person.end_date)


def leaving_conflict(
    *, end_date: dt.date | None, active: bool | None, today: dt.date | None = None
) -> str | None:
    """Why a last day and "active" given together contradict each other, or
    None. Which one was meant cannot be guessed, so every entry point that
    takes both (the CSV, the API) refuses the pair with this reason."""
    if end_date is None or active is None:
        return None
    come = last_day_has_come(end_date, today=today)
    if active and come:
        return (
            f"active is true but their last day, {end_date}, has come: clear end_date "
            "to rehire them, or set active to false"
        )
    if not active and not come:
        return (
            f"active is false but their last day, {end_date}, is still to come: leave "
            "active empty and they leave on that day, or give the day they left"
        )
    return None


def reporting_loop(start: Key, manager_of: Callable[[Key], Key | None]) -> list[Key] | None:
    """The rule for reporting lines: following managers up from anyone never
    comes back to them. Returns the loop through `start` (start ... start) if
    it would, else None. `manager_of` gives each person's manager as it would
    be after the change (one change in the admin, a whole file in the import)."""
    path: list[Key] = []
    seen: set[Key] = set()
    current: Key | None = start
    while current is not None and current not in seen:
        path.append(current)
        seen.add(current)
        current = manager_of(current)
    return [*path, start] if current == start else None
