"""Rotation pages: the cycles (open, under way, past), a cycle with its
timeline and rules, my rotation, and a manager's reports' participation."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.timezones import zone_of
from ladders.selectors.commitments import active_commitments, commitment_limit
from people import access

from .. import policies
from ..models import Role, RotationCycle
from ..selectors import participation as selectors
from ..selectors.eligibility import (
    CycleLevels,
    cycle_levels,
    day,
    signup_eligibility_by_role,
    window_is_open,
    window_reason,
)
from ..selectors.signups import active_signup_for, active_signups_by_cycle
from ..services.invitations import kickoff_starts_at
from ..services.leavers import pairings_left

Status = RotationCycle.Status


def visible_cycle(request, cycle_id: int) -> RotationCycle:
    """The cycle with its sign-up counts; drafts are the people team's alone."""
    return access.found_or_404(
        lambda: selectors.cycle_get(cycle_id=cycle_id),
        RotationCycle.DoesNotExist,
        lambda cycle: policies.can_view_cycle(request.user, cycle),
    )


@login_required
def cycle_list(request):
    cycles = list(selectors.cycle_list())
    mine = active_signups_by_cycle(person=request.user, cycles=cycles)
    for cycle in cycles:
        cycle.my_signup = mine.get(cycle.pk)
        cycle.window_reason = window_reason(cycle, request.user)
    return render(
        request,
        "mentorship/rotationcycle_list.html",
        {
            "open": [c for c in cycles if c.status == Status.OPEN],
            "under_way": [c for c in cycles if c.status in selectors.UNDER_WAY],
            "past": [c for c in cycles if c.status == Status.CLOSED],
        },
    )


@dataclass
class Step:
    label: str
    when: str
    state: str  # done, current or upcoming


def timeline(cycle: RotationCycle) -> list[Step]:
    """The cycle's statuses in order, with their dates, marking where it is."""
    steps = [
        (Status.DRAFT, "Being prepared", "by the people team"),
        (
            Status.OPEN,
            "Sign-up",
            f"{day(cycle.signup_opens_on)} to {day(cycle.signup_closes_on)}",
        ),
        (Status.MATCHING, "Matching", f"after {day(cycle.signup_closes_on)}"),
        (Status.REVIEW, "The people team reviews the pairs", f"before {day(cycle.starts_on)}"),
        (Status.PUBLISHED, "Pairs published and told by email", f"before {day(cycle.starts_on)}"),
        (
            Status.ACTIVE,
            "Rotation under way",
            f"{day(cycle.starts_on)} to {day(cycle.ends_on)}, "
            f"check-in around {day(cycle.checkin_on)}",
        ),
        (Status.CLOSED, "Closed, with a short feedback form", f"from {day(cycle.ends_on)}"),
    ]
    order: list[str] = [status for status, _, _ in steps]
    now = order.index(cycle.status)
    return [
        Step(label, when, "done" if i < now else "current" if i == now else "upcoming")
        for i, (_, label, when) in enumerate(steps)
    ]


def rules_in_words(cycle: RotationCycle, levels: CycleLevels) -> list[str]:
    gap = cycle.min_level_gap
    capacity = cycle.default_mentor_capacity
    rules = [
        f"Mentors are at level {levels.label(cycle.mentor_min_level)} or above.",
        f"Mentees are at levels {levels.label(cycle.mentee_min_level)} to "
        f"{levels.label(cycle.mentee_max_level)}.",
        f"A mentor is at least {gap} level{'s' if gap != 1 else ''} above their mentee, "
        "and never in the mentee's own management chain.",
        f"A mentor takes {capacity} mentee{'s' if capacity != 1 else ''} unless they offer more.",
    ]
    if cycle.require_cross_team:
        rules.append("Mentor and mentee come from different teams.")
    if cycle.repeat_window:
        window = cycle.repeat_window
        rules.append(
            f"Nobody is paired again with someone they were paired with in the last "
            f"{window} cycle{'s' if window != 1 else ''}."
        )
    if cycle.max_mentees_per_team:
        rules.append(
            f"At most {cycle.max_mentees_per_team} mentees of one team are matched, "
            "so no team is drained."
        )
    limit = commitment_limit()
    rules.append(
        f"A rotation counts as one of your {limit} concurrent commitments "
        "(stretch assignments and rotations) from publication to the end, however many "
        "mentees a mentor takes."
    )
    return rules


@login_required
def cycle_detail(request, cycle_id: int):
    cycle = visible_cycle(request, cycle_id)
    mine = active_signup_for(cycle=cycle, person=request.user)
    closed = window_reason(cycle, request.user)
    choices = []
    if mine is None and closed is None:
        reasons = signup_eligibility_by_role(cycle=cycle, person=request.user)
        choices = [(role, label.lower(), reasons[role]) for role, label in Role.choices]
    return render(
        request,
        "mentorship/rotationcycle_detail.html",
        {
            "cycle": cycle,
            "timeline": timeline(cycle),
            "rules": rules_in_words(cycle, cycle_levels(cycle)),
            "mine": mine,
            "closed": closed,
            "choices": choices,
            "window_open": closed is None,
            "left_pairings": (
                list(pairings_left(cycle=cycle)) if policies.can_run_cycles(request.user) else []
            ),
        },
    )


@login_required
def my_rotation(request):
    rotations = selectors.rotations_of(person=request.user)
    taking_part = {r.signup.cycle_id for r in rotations if r.stage != "withdrawn"}
    invitations = [c for c in selectors.open_cycles() if c.pk not in taking_part]
    current = [r for r in rotations if r.is_current]
    _attach_kickoffs(current, request.user)
    return render(
        request,
        "mentorship/signup_mine.html",
        {
            "current": current,
            "past": [r for r in rotations if not r.is_current],
            "invitations": invitations,
            "editable_ids": {
                r.signup.pk
                for r in current
                if r.stage == "signed_up" and window_is_open(r.cycle, request.user)
            },
            "commitments": active_commitments(person=request.user),
            "commitment_limit": commitment_limit(),
        },
    )


def _attach_kickoffs(rotations, viewer) -> None:
    """Each current pairing's kick-off, in the viewer's own zone."""
    for rotation in rotations:
        for partner in rotation.partners:
            local = kickoff_starts_at(partner.pairing).astimezone(zone_of(viewer.timezone))
            partner.kickoff = f"{local:%A %d %B %Y, %H:%M} ({viewer.timezone})"


@login_required
def team_participation(request):
    """Everyone under the viewer; someone with no reports sees an empty page."""
    return render(
        request,
        "mentorship/signup_team.html",
        {
            "cycles": selectors.team_participation(manager=request.user),
            "is_manager": access.is_manager(request.user),
        },
    )
