"""Who may sign up to a rotation cycle, and if not, why: the sign-up window,
the cycle's level rules, the person's concurrent commitments and an earlier
sign-up. A fixed number of queries whatever the data."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.timezones import zone_of
from ladders.models import Level, Placement
from ladders.selectors.commitments import commitment_refusal
from ladders.selectors.standing import current_placements, latest_published

from ..models import Role, RotationCycle, SignUp


def person_today(person) -> dt.date:
    """Today where the person is: a window closing on the 30th stays open for
    them until midnight in their own timezone."""
    return timezone.localdate(timezone=zone_of(person.timezone))


def day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def window_is_open(cycle: RotationCycle, person) -> bool:
    today = person_today(person)
    return (
        cycle.status == RotationCycle.Status.OPEN
        and cycle.signup_opens_on <= today <= cycle.signup_closes_on
    )


def window_reason(cycle: RotationCycle, person) -> str | None:
    """Why the sign-up window is shut for this person, or None if it is open."""
    if window_is_open(cycle, person):
        return None
    today = person_today(person)
    not_yet = cycle.status == RotationCycle.Status.DRAFT or (
        cycle.status == RotationCycle.Status.OPEN and today < cycle.signup_opens_on
    )
    if not_yet and today < cycle.signup_opens_on:
        return f"Sign-up for {cycle} is not open yet: it opens on {day(cycle.signup_opens_on)}."
    if not_yet:  # a draft whose date came: the people team has yet to open it
        return f"Sign-up for {cycle} is not open yet."
    return f"Sign-up for {cycle} is closed: it closed on {day(cycle.signup_closes_on)}."


@dataclass
class CycleLevels:
    """The levels of the cycle ladder's latest published revision, by code."""

    by_code: dict[str, Level]

    def position(self, code: str) -> int | None:
        level = self.by_code.get(code)
        return level.position if level else None

    def label(self, code: str) -> str:
        level = self.by_code.get(code)
        return f"{code} ({level.name})" if level else code


def cycle_levels(cycle: RotationCycle) -> CycleLevels:
    revision = latest_published(ladder_id=cycle.ladder_id)
    levels = revision.levels.order_by("position") if revision else Level.objects.none()
    return CycleLevels(by_code={level.code: level for level in levels})


def signup_eligibility(*, cycle: RotationCycle, person, role: str) -> list[str]:
    """Every reason the person cannot sign up in that role; empty means they can."""
    return signup_eligibility_by_role(cycle=cycle, person=person)[role]


def signup_eligibility_by_role(*, cycle: RotationCycle, person) -> dict[str, list[str]]:
    """Both roles at once, sharing the queries (the cycle page asks for both)."""
    placement = current_placements(person_ids=[person.pk]).get(person.pk)
    levels = cycle_levels(cycle)
    placement_reason = _placement_reason(cycle, placement, levels)
    window, commitments = window_reason(cycle, person), _commitment_reason(person)
    existing = _existing_reason(cycle, person)
    reasons = {}
    for role in Role.values:
        # The level rules need a level on this ladder to compare.
        level_reason = None
        if placement_reason is None and placement is not None:
            level_reason = _level_reason(cycle, role, placement.level.code, levels)
        found = [window, placement_reason, level_reason, commitments, existing]
        reasons[role] = [reason for reason in found if reason]
    return reasons


def _placement_reason(cycle, placement: Placement | None, levels: CycleLevels) -> str | None:
    ladder = cycle.ladder
    if placement is None:
        return (
            f"You have no level on the {ladder} ladder yet, and this cycle's rules go by "
            "level: ask your manager to record yours."
        )
    if placement.level.revision.ladder_id != cycle.ladder_id:
        return (
            f"Your level is on the {placement.level.revision.ladder} ladder; this cycle is "
            f"for people on the {ladder} ladder."
        )
    if levels.position(placement.level.code) is None:
        return (
            f"Your level {placement.level.code} is not on the latest published {ladder} "
            "ladder: ask the people team to record your level on it."
        )
    return None


def _level_reason(cycle, role: str, code: str, levels: CycleLevels) -> str | None:
    mine = levels.position(code)
    if mine is None:  # never: _placement_reason refused a level not on this ladder
        return None
    if role == Role.MENTOR:
        lowest = levels.position(cycle.mentor_min_level)
        if lowest is None or mine < lowest:
            return (
                f"Mentors are at level {levels.label(cycle.mentor_min_level)} or above; "
                f"you are at {levels.label(code)}."
            )
        return None
    lowest = levels.position(cycle.mentee_min_level)
    highest = levels.position(cycle.mentee_max_level)
    if lowest is None or highest is None or not lowest <= mine <= highest:
        return (
            f"Mentees are between levels {levels.label(cycle.mentee_min_level)} and "
            f"{levels.label(cycle.mentee_max_level)}; you are at {levels.label(code)}."
        )
    return None


def _commitment_reason(person) -> str | None:
    return commitment_refusal(
        person=person, by_self=True, then="A rotation would be one more: finish one first."
    )


def _existing_reason(cycle, person) -> str | None:
    existing = (
        SignUp.objects.filter(cycle=cycle, person=person, status=SignUp.Status.ACTIVE)
        .only("role")
        .first()
    )
    if existing is None:
        return None
    return (
        f"You already signed up to {cycle} as a {existing.get_role_display().lower()}: "
        "edit that sign-up, or withdraw it first to sign up in another role."
    )
