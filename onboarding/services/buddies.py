"""Buddies: chosen for a week's new hires together with the matching engine
(same team first, load spread), changed by the manager or the people team;
where nobody has room the plan says why and the people team is told once."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_update_with_history

from core.jobs import job_enqueue
from core.timezones import WORKDAY_HOURS, hours_apart, working_hours_overlap
from mentorship.matching import solve
from people.errors import ApplicationError
from people.models import User
from people.selectors import manager_chain_ids, manager_chain_ids_of

from .. import policies
from ..models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from ..selectors.buddies import (
    LOAD_WINDOW_DAYS,
    NEW_HIRE_DAYS,
    Candidate,
    buddy_candidates,
    buddy_cap,
    buddy_loads,
    experience_of,
    is_new_hire,
    min_level_code,
)
from .no_buddy import tell_people_team
from .plans import plan_assign_role
from .slack import buddy_introduction_slack, no_buddy_slack

Status = OnboardingPlan.BuddyStatus
Chains = dict[int, set[int]]  # new hire id -> their managers' ids, all the way up

# Scores: the same team dominates, then the same department; among equals,
# working hours in common and fewer current buddies decide. The load bonus
# (at most LOAD_POINTS) stays below the gap between team and department, and
# between department and elsewhere, so it never overrides them.
TEAM_POINTS = 100
DEPARTMENT_POINTS = 40
TIMEZONE_POINTS = 20
LOAD_POINTS = 30


# --- choosing for a week's new hires -----------------------------------------------


@transaction.atomic
def buddies_choose(*, plans) -> list[OnboardingPlan]:
    """Choose a buddy for every plan that has none yet, all together.

    Safe to run twice: plans with a buddy are left alone, and the people team
    is told about a plan with nobody available once (a Reminder row per
    member). Returns the plans it decided on."""
    waiting = list(
        OnboardingPlan.objects.select_for_update(of=("self",))
        .filter(pk__in=[p.pk for p in plans], buddy__isnull=True, new_hire__is_active=True)
        .select_related("new_hire__team__parent", "new_hire__manager")
        .order_by("pk")
    )
    if not waiting:
        return []
    candidates = buddy_candidates(today=timezone.localdate())
    chains = manager_chain_ids_of(person_ids=[plan.new_hire_id for plan in waiting])
    chosen = _solve(waiting, candidates, chains)
    by_id = {c.person.pk: c for c in candidates}
    taken = Counter(chosen.values())
    for plan in waiting:
        buddy_id = chosen.get(plan.pk)
        if buddy_id is None:
            _mark_none_available(plan, candidates, chains, taken=taken)
        else:
            candidate = by_id[buddy_id]
            others = candidate.load + taken[buddy_id] - 1
            plan.buddy = candidate.person
            plan.buddy_status = Status.ASSIGNED
            plan.buddy_note = _why(plan, candidate.person, others)
    bulk_update_with_history(
        waiting,
        OnboardingPlan,
        ["buddy", "buddy_status", "buddy_note"],
        batch_size=500,
        default_change_reason="buddy chosen",
    )
    assigned = [plan for plan in waiting if plan.buddy_id]
    for plan in assigned:
        plan_assign_role(plan=plan, role=AssigneeRole.BUDDY, person=plan.buddy)
    _pair_with_buddy(assigned, previous={}, by=None)
    tell_people_team([plan for plan in waiting if plan.buddy_id is None])
    buddy_introduction_slack(assigned)
    no_buddy_slack([plan for plan in waiting if plan.buddy_id is None])
    return waiting


def buddies_choose_waiting(*, today: dt.date) -> int:
    """The daily sweep: every plan still without a buddy (none chosen yet, or
    nobody had room last time), chosen week of start by week of start.
    Returns how many got a buddy."""
    waiting = OnboardingPlan.objects.filter(
        buddy__isnull=True,
        new_hire__is_active=True,
        start_date__gte=today - dt.timedelta(days=LOAD_WINDOW_DAYS),
    ).order_by("start_date", "pk")
    weeks: dict[tuple[int, int], list[OnboardingPlan]] = {}
    for plan in waiting.only("pk", "start_date"):
        weeks.setdefault(plan.start_date.isocalendar()[:2], []).append(plan)
    return sum(
        sum(1 for plan in buddies_choose(plans=plans) if plan.buddy_id) for plans in weeks.values()
    )


def _solve(
    plans: list[OnboardingPlan], candidates: list[Candidate], chains: Chains
) -> dict[int, int]:
    """plan id -> buddy id. Each buddy's free places are separate slots, the
    later ones scoring less, so the engine spreads new hires over buddies."""
    cap = buddy_cap()
    capacity, edges = {}, []
    for candidate in candidates:
        for slot in range(max(cap - candidate.load, 0)):
            capacity[(candidate.person.pk, slot)] = 1
    for plan in plans:
        for candidate in candidates:
            if not _may_buddy(candidate.person, plan, chains):
                continue
            base = _score(plan, candidate.person)
            for slot in range(max(cap - candidate.load, 0)):
                bonus = LOAD_POINTS * (cap - candidate.load - slot) / cap
                edges.append(((candidate.person.pk, slot), plan.pk, base + bonus))
    pairs = solve(edges, capacity) if edges else {}
    return {plan_id: person_id for plan_id, (person_id, _slot) in pairs.items()}


def _may_buddy(person: User, plan: OnboardingPlan, chains: Chains) -> bool:
    """Never the new hire, nor anyone in their manager chain: a buddy is a peer
    to ask anything, and managers have their own tasks in the plan."""
    return person.pk != plan.new_hire_id and person.pk not in chains[plan.new_hire_id]


def _score(plan: OnboardingPlan, person: User) -> float:
    return _closeness(plan.new_hire, person)[0] + TIMEZONE_POINTS * _overlap(plan, person)


def _department(team):
    return team.parent if team and team.parent_id else team


def _closeness(new_hire: User, person: User) -> tuple[int, str]:
    """Points and words for how close the two sit in the organisation."""
    mine, theirs = new_hire.team, person.team
    if mine and theirs and mine.pk == theirs.pk:
        return TEAM_POINTS, f"Same team ({mine.name})"
    department = _department(mine)
    if department and theirs and department.pk == _department(theirs).pk:
        return DEPARTMENT_POINTS, f"Same department ({department.name}, {theirs.name})"
    if theirs:
        return 0, f"Another team ({theirs.name})"
    return 0, "No team in common"


def _hours_apart(plan: OnboardingPlan, person: User) -> float:
    """Hours between the two timezones on the start date (either way round the clock)."""
    return hours_apart(plan.timezone, person.timezone, plan.start_date)


def _overlap(plan: OnboardingPlan, person: User) -> float:
    """Share of a working day the two have in common, 0 to 1."""
    shared = working_hours_overlap(plan.timezone, person.timezone, plan.start_date)
    return shared / WORKDAY_HOURS


def _why(plan: OnboardingPlan, buddy: User, others: int) -> str:
    """Why this buddy, in words: "Same team (Payments), 1 other new hire"."""
    parts = [_closeness(plan.new_hire, buddy)[1]]
    parts.append(
        "no other new hire"
        if others == 0
        else f"{others} other new hire{'s' if others != 1 else ''}"
    )
    apart = _hours_apart(plan, buddy)
    if apart >= 1:
        parts.append(f"{apart:g} hour{'s' if apart != 1 else ''} apart")
    return ", ".join(parts)


def _mark_none_available(
    plan: OnboardingPlan, candidates: list[Candidate], chains: Chains, *, taken: Counter
) -> None:
    """The plan says why; the buddy's tasks keep no assignee ("no buddy yet")."""
    plan.buddy = None
    plan.buddy_status = Status.NONE_AVAILABLE
    plan.buddy_note = _none_reason(plan, candidates, chains, taken=taken)


def _none_reason(
    plan: OnboardingPlan, candidates: list[Candidate], chains: Chains, *, taken: Counter
) -> str:
    """The engine matches as many as it can, so everyone who could have been
    this plan's buddy is full: at the cap already, or after this week's choices."""
    code, cap = min_level_code(), buddy_cap()
    possible = [c for c in candidates if _may_buddy(c.person, plan, chains)]
    filled = any(taken[c.person.pk] for c in possible)
    if not possible:
        return (
            f"Nobody at {code} or above can be a buddy yet: nobody who has been here "
            f"{NEW_HIRE_DAYS} days or more is placed at {code} or above on a ladder."
        )
    team = plan.new_hire.team
    where = f" in {team.name}, its department or elsewhere" if team else ""
    counting = " (counting this week's new hires)" if filled else ""
    return (
        f"Nobody at {code} or above{where} has room: "
        f"all {len(possible)} at the cap of {cap}{counting}."
    )


# --- pairing partners follow the buddy ---------------------------------------------


def _pair_with_buddy(
    plans: list[OnboardingPlan], *, previous: dict[int, int | None], by: User | None
) -> None:
    """Open pairing tasks whose partner was the (previous) buddy, or nobody,
    now pair with the plan's buddy. A partner named by the people team, or one
    who already confirmed, stays."""
    if not plans:
        return
    by_id = {plan.pk: plan for plan in plans}
    tasks = PlanTask.objects.filter(
        plan_id__in=by_id, kind=Kind.PAIRING, status=PlanTask.Status.OPEN, partner_done_at=None
    )
    changed = []
    for task in tasks:
        if task.partner_id is None or task.partner_id == previous.get(task.plan_id):
            task.partner_id = by_id[task.plan_id].buddy_id
            changed.append(task)
    if changed:
        bulk_update_with_history(
            changed,
            PlanTask,
            ["partner"],
            batch_size=500,
            default_user=by,
            default_change_reason="pairing partner follows the buddy",
        )


# --- a manager changes: a buddy never ends up in the chain ---------------------------


@transaction.atomic
def buddies_out_of_manager_chains(changes: dict[int, set[str]]) -> list[OnboardingPlan]:
    """After a manager change (people/hooks.py): the moved people and everyone
    below them have a new manager chain. A plan whose buddy is now in it loses
    that buddy at once (their open buddy and pairing tasks wait for the next
    one) and a new buddy is chosen by a job. Returns the plans that lost one."""
    moved = {person_id for person_id, fields in changes.items() if "manager" in fields}
    if not moved:
        return []
    # A plan is touched when its new hire moved or someone above them did:
    # checked from the plans' side (few: new hires with a buddy), with every
    # chain in one query, rather than walking down from each moved person.
    with_buddy = OnboardingPlan.objects.filter(
        buddy__isnull=False, status=OnboardingPlan.Status.ACTIVE
    )
    rows = list(with_buddy.values_list("pk", "new_hire_id", "buddy_id"))
    chains = manager_chain_ids_of(person_ids=[new_hire for _, new_hire, _ in rows])
    touched = [
        pk
        for pk, new_hire, buddy in rows
        if buddy in chains.get(new_hire, set())
        and (new_hire in moved or chains.get(new_hire, set()) & moved)
    ]
    if not touched:
        return []
    # Only those rows are locked, and checked again once locked.
    lost = [
        plan
        for plan in with_buddy.select_for_update(of=("self",))
        .filter(pk__in=touched)
        .select_related("buddy", "new_hire")
        .order_by("pk")
        if plan.buddy_id in chains.get(plan.new_hire_id, set())
    ]
    if not lost:
        return []
    previous = {plan.pk: plan.buddy_id for plan in lost}
    for plan in lost:
        plan.buddy_note = (
            f"{plan.buddy} is now in {plan.new_hire}'s manager chain: a buddy is a peer, "
            "so another is being chosen."
        )
        plan.buddy, plan.buddy_status = None, Status.PENDING
        plan_assign_role(plan=plan, role=AssigneeRole.BUDDY, person=None)
    bulk_update_with_history(
        lost,
        OnboardingPlan,
        ["buddy", "buddy_status", "buddy_note"],
        batch_size=500,
        default_change_reason="buddy now in the manager chain",
    )
    _pair_with_buddy(lost, previous=previous, by=None)
    job_enqueue("onboarding.tasks.buddies_choose_task", [plan.pk for plan in lost])
    return lost


# --- the manager (or the people team) changes it -----------------------------------


@transaction.atomic
def buddy_change(*, plan: OnboardingPlan, buddy: User, by: User) -> OnboardingPlan:
    """Make ``buddy`` the plan's buddy: their open buddy tasks and pairing
    tasks move to them. Refuses someone over the cap or not experienced enough."""
    if not policies.can_change_buddy(by, plan):
        raise ApplicationError(
            "Only the new hire's manager or the people team can change the buddy."
        )
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("new_hire__team__parent", "buddy")
        .get(pk=plan.pk)
    )
    # Lock the buddy too, so two changes at once cannot both take their last place.
    buddy = (
        User.objects.select_for_update(of=("self",)).select_related("team__parent").get(pk=buddy.pk)
    )
    if buddy.pk == plan.buddy_id:
        raise ApplicationError(f"{buddy} is already the buddy.", field="buddy")
    load = _check_buddy(plan, buddy)
    previous = plan.buddy_id
    plan.buddy = buddy
    plan.buddy_status = Status.ASSIGNED
    plan.buddy_note = f"Chosen by {by}: {_why(plan, buddy, load)}"
    plan._history_user = by
    plan.save(update_fields=["buddy", "buddy_status", "buddy_note"])
    plan_assign_role(plan=plan, role=AssigneeRole.BUDDY, person=buddy, by=by)
    _pair_with_buddy([plan], previous={plan.pk: previous}, by=by)
    buddy_introduction_slack([plan])
    # The pairing sessions: the new buddy invited, the one replaced taken out.
    job_enqueue("onboarding.tasks.plan_invitations_send_task", [plan.pk])
    return plan


def _check_buddy(plan: OnboardingPlan, buddy: User) -> int:
    """Raise with a clear message if ``buddy`` may not be chosen; else their current load."""
    code, cap, today = min_level_code(), buddy_cap(), timezone.localdate()
    if buddy.pk == plan.new_hire_id:
        raise ApplicationError("A new hire cannot be their own buddy.", field="buddy")
    if not buddy.is_active:
        raise ApplicationError(f"{buddy} no longer works here.", field="buddy")
    if buddy.pk in manager_chain_ids(person_id=plan.new_hire_id):
        raise ApplicationError(
            f"{buddy} is in {plan.new_hire}'s manager chain: a buddy is a peer, not a manager.",
            field="buddy",
        )
    if buddy.start_date is not None and is_new_hire(buddy, today=today):
        raise ApplicationError(
            f"{buddy} started on {date_format(buddy.start_date, 'j F Y')}: a buddy has been here "
            f"at least {NEW_HIRE_DAYS} days.",
            field="buddy",
        )
    experience = experience_of(person_ids=[buddy.pk]).get(buddy.pk)
    if experience is None:
        raise ApplicationError(
            f"{buddy} has no level on a ladder yet: a buddy is at {code} or above.",
            field="buddy",
        )
    if not experience.enough:
        raise ApplicationError(
            f"{buddy} is at {experience.level.code}: a buddy is at {code} or above.",
            field="buddy",
        )
    load = buddy_loads(today=today, person_ids=[buddy.pk], exclude_plan_ids=[plan.pk])[buddy.pk]
    if load >= cap:
        raise ApplicationError(
            f"{buddy} already looks after {load} new hire{'s' if load != 1 else ''}, "
            f"the cap is {cap}: choose someone else.",
            field="buddy",
        )
    return load


def buddies_choose_and_invite(*, plan_ids: list[int]) -> int:
    """Buddies for these plans, then their pairing sessions' invitations (the
    partners are known now; a job, once per change). Returns how many plans
    have a buddy."""
    chosen = buddies_choose(plans=OnboardingPlan.objects.filter(pk__in=plan_ids))
    job_enqueue("onboarding.tasks.plan_invitations_send_task", list(plan_ids))
    return sum(1 for plan in chosen if plan.buddy_id)
