"""What onboarding hands over when someone leaves (person_left, see
people/hooks.py and settings.PERSON_LIFECYCLE_SUBSCRIBERS):

- a new hire who leaves before their start date: the plan is cancelled (it
  stays, as history, out of every report, reminder and digest) and its
  calendar invitations are cancelled;
- a buddy: each plan they looked after waits for a new buddy, whom the
  engine chooses (never the leaver, never the new hire's manager chain), and
  the new hire is told once (the ``buddy_left`` notice); the pairing
  sessions to come are invited again, the new buddy in, the leaver out;
- open tasks of others' plans assigned to them: a manager's pass to the
  leaver's own manager; any other has nobody, which the plan shows. Their
  meetings and pairing sessions to come are invited again by a job: the
  new person gets the updated invitation, the leaver its cancellation
  (onboarding/services/invitations.py).

The subscriber makes these small writes in the leaving's transaction and
records jobs for what takes a worker. Rehiring gives nothing back."""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_enqueue, jobs_enqueue
from messaging.models import Channel
from messaging.notify import notify
from people.history import history_bulk_update
from people.models import User

from ..models import AssigneeRole, OnboardingPlan, PlanTask
from ..selectors.buddies import LOAD_WINDOW_DAYS
from .buddies import buddies_choose
from .invitations import INVITED_KINDS

PlanStatus = OnboardingPlan.Status
REASON = "handed over: {who} left"


def plans_hand_over(person_ids: list[int]) -> None:
    """person_left: cancel the plans of new hires who never started, free the
    leavers' buddy places and their open tasks in others' plans. In bulk: a
    fixed number of queries however many leave at once (a CSV, a SCIM batch)."""
    today = timezone.localdate()
    leavers = User.objects.select_related("manager").in_bulk(person_ids)
    _plans_cancel(person_ids, today)
    awaiting_buddy = _buddy_places_free(leavers, today)
    changed = _tasks_pass_on(leavers)
    _sessions_reinvite(changed, today, awaiting_buddy)


# --- a new hire who never started ------------------------------------------------------


def _plans_cancel(person_ids: list[int], today: dt.date) -> None:
    plans = list(
        OnboardingPlan.objects.select_for_update()
        .filter(new_hire_id__in=person_ids, status=PlanStatus.ACTIVE, start_date__gt=today)
        .order_by("pk")
    )
    history_bulk_update(
        plans,
        same={"status": PlanStatus.CANCELLED, "cancelled_at": timezone.now()},
        reason="cancelled: left before starting",
    )
    jobs_enqueue("onboarding.tasks.plan_invitations_cancel_task", [[plan.pk] for plan in plans])


# --- buddy places ----------------------------------------------------------------------


def _buddy_places_free(leavers: dict[int, User], today: dt.date) -> set[int]:
    """Plans still in their buddy window wait for a new buddy; older ones keep
    the leaver's name as history. The leaver's buddy tasks and pairing
    sessions in them are freed with their other tasks (_tasks_pass_on).
    Returns the ids of the plans waiting for a new buddy."""
    plans = list(
        OnboardingPlan.objects.select_for_update()
        .filter(
            buddy_id__in=leavers,
            status=PlanStatus.ACTIVE,
            new_hire__is_active=True,
            start_date__gte=today - dt.timedelta(days=LOAD_WINDOW_DAYS),
        )
        .order_by("buddy_id", "pk")
    )
    replacements = []
    for plan in plans:
        leaver = leavers[plan.buddy_id]  # type: ignore[index]  # filtered on it
        plan.buddy_note = f"{leaver} was the buddy and left on {_day(leaver.end_date or today)}."
        plan._change_reason = REASON.format(who=leaver)
        replacements.append([plan.pk, leaver.pk])
    history_bulk_update(
        plans,
        same={"buddy_id": None, "buddy_status": OnboardingPlan.BuddyStatus.PENDING},
        each=["buddy_note"],
    )
    jobs_enqueue("onboarding.tasks.buddy_replace_task", replacements)
    return {plan.pk for plan in plans}


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- tasks in others' plans --------------------------------------------------------------


def _tasks_pass_on(leavers: dict[int, User]) -> list[PlanTask]:
    """A manager's tasks go to the leaver's own manager (if still here); any
    other open task assigned to them, or naming them as pairing partner, has
    nobody: the plan page shows "nobody yet" to the people team. Their own
    plan's tasks stay theirs, as history. Returns the tasks changed."""
    tasks = list(
        PlanTask.objects.select_for_update(of=("self",))
        .filter(status=PlanTask.Status.OPEN, plan__status=PlanStatus.ACTIVE)
        .filter(Q(assignee_id__in=leavers) | Q(partner_id__in=leavers, partner_done_at=None))
        .select_related("plan")
        .order_by("pk")
    )
    assignees: dict[PlanTask, int | None] = {}
    partners: dict[PlanTask, None] = {}
    for task in tasks:
        if _handed_over(task.assignee_id, task, leavers):
            leaver = leavers[task.assignee_id]  # type: ignore[index]
            managing = task.assignee_role == AssigneeRole.MANAGER
            assignees[task] = _successor_id(leaver) if managing else None
        if task.partner_done_at is None and _handed_over(task.partner_id, task, leavers):
            partners[task] = None
    _tasks_set(assignees, "assignee_id", leavers)
    _tasks_set(partners, "partner_id", leavers)
    return [*assignees, *partners]


def _sessions_reinvite(tasks: list[PlanTask], today: dt.date, awaiting_buddy: set[int]) -> None:
    """Meetings and pairing sessions to come with someone else in them (a
    manager's passed on) or nobody: a job sends the new person the updated
    invitation and the leaver its cancellation. Plans waiting for a new buddy
    are left to buddy_replace, which invites once the buddy is chosen (one
    update, not two)."""
    plan_ids = {
        task.plan_id for task in tasks if task.kind in INVITED_KINDS and task.due_on >= today
    }
    jobs_enqueue(
        "onboarding.tasks.plan_invitations_send_task",
        [[[plan_id]] for plan_id in sorted(plan_ids - awaiting_buddy)],
    )


def _handed_over(person_id: int | None, task: PlanTask, leavers: dict[int, User]) -> bool:
    return person_id in leavers and person_id != task.plan.new_hire_id


def _successor_id(leaver: User) -> int | None:
    manager = leaver.manager
    return manager.pk if manager is not None and manager.is_active else None


def _tasks_set(values: Mapping[PlanTask, int | None], field: str, leavers: dict[int, User]) -> None:
    """Set one field on each task, each change in its history with the leaver's name."""
    for task, value in values.items():
        task._change_reason = REASON.format(who=leavers[getattr(task, field)])
        setattr(task, field, value)
    # Most go to nobody: those alike in one plain UPDATE.
    history_bulk_update(
        [task for task, value in values.items() if value is None], same={field: None}
    )
    to_someone = [task for task, value in values.items() if value is not None]
    history_bulk_update(to_someone, same={}, each=[field])


# --- the job: a new buddy, and the new hire told ----------------------------------------


def buddy_replace(*, plan_id: int, leaver_id: int) -> bool:
    """Choose a new buddy for the plan (the engine, as for any new hire) and
    tell the new hire once who it is, or that the people team is on it.
    Safe to run twice: a plan with a buddy is left alone; the notice has a key."""
    plan = OnboardingPlan.objects.filter(pk=plan_id, status=PlanStatus.ACTIVE).first()
    leaver = User.objects.filter(pk=leaver_id).first()
    if plan is None or leaver is None:
        return False
    buddies_choose(plans=[plan])
    plan = OnboardingPlan.objects.select_related("new_hire", "buddy").get(pk=plan_id)
    job_enqueue("onboarding.tasks.plan_invitations_send_task", [plan.pk])
    return _new_hire_told(plan, leaver)


def _new_hire_told(plan: OnboardingPlan, leaver: User) -> bool:
    """Once, by the channels they chose; but with a new buddy, Slack's buddy
    introduction (recorded by buddies_choose) already tells them there, so
    they do not hear it twice on Slack."""
    told = notify(
        notice="buddy_left",
        key=f"buddy-left:plan-{plan.pk}:leaver-{leaver.pk}",
        person=plan.new_hire,
        link=settings.SITE_URL.rstrip("/") + reverse("onboarding:my_checklist"),
        context={"left": leaver, "buddy": plan.buddy, "note": plan.buddy_note},
        only=Channel.EMAIL if plan.buddy_id else None,
    )
    return bool(told.email or told.slack)
