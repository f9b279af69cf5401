"""What onboarding hands over when someone leaves (person_left, see
people/hooks.py and settings.PERSON_LIFECYCLE_SUBSCRIBERS):

- a new hire who leaves before their start date: the plan is cancelled (it
  stays, as history, out of every report, reminder and digest) and its
  calendar invitations are cancelled;
- a buddy: each plan they looked after waits for a new buddy, whom the
  engine chooses (never the leaver, never the new hire's manager chain), and
  the new hire is told once (the ``buddy_left`` notice);
- open tasks of others' plans assigned to them: a manager's pass to the
  leaver's own manager; any other has nobody, which the plan shows.

The subscriber makes these small writes in the leaving's transaction and
records jobs for what takes a worker. Rehiring gives nothing back."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.jobs import job_enqueue
from messaging.models import Channel
from messaging.notify import notify
from people.models import User

from ..models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from ..selectors.buddies import LOAD_WINDOW_DAYS
from .buddies import buddies_choose

PlanStatus = OnboardingPlan.Status
REASON = "handed over: {who} left"


def plans_hand_over(person_ids: list[int]) -> None:
    """person_left: cancel the plans of new hires who never started, free the
    leavers' buddy places and their open tasks in others' plans."""
    today = timezone.localdate()
    leavers = User.objects.in_bulk(person_ids)
    _plans_cancel(person_ids, today)
    for leaver in leavers.values():
        _buddy_places_free(leaver, today)
        _tasks_pass_on(leaver)


# --- a new hire who never started ------------------------------------------------------


def _plans_cancel(person_ids: list[int], today: dt.date) -> None:
    plans = list(
        OnboardingPlan.objects.select_for_update().filter(
            new_hire_id__in=person_ids, status=PlanStatus.ACTIVE, start_date__gt=today
        )
    )
    for plan in plans:
        plan.status, plan.cancelled_at = PlanStatus.CANCELLED, timezone.now()
    if plans:
        bulk_update_with_history(
            plans,
            OnboardingPlan,
            ["status", "cancelled_at"],
            default_change_reason="cancelled: left before starting",
        )
    for plan in plans:
        job_enqueue("onboarding.tasks.plan_invitations_cancel_task", plan.pk)


# --- buddy places ----------------------------------------------------------------------


def _buddy_places_free(leaver: User, today: dt.date) -> None:
    """Plans still in their buddy window wait for a new buddy; older ones keep
    the leaver's name as history."""
    plans = list(
        OnboardingPlan.objects.select_for_update().filter(
            buddy=leaver,
            status=PlanStatus.ACTIVE,
            new_hire__is_active=True,
            start_date__gte=today - dt.timedelta(days=LOAD_WINDOW_DAYS),
        )
    )
    if not plans:
        return
    for plan in plans:
        plan.buddy = None
        plan.buddy_status = OnboardingPlan.BuddyStatus.PENDING
        plan.buddy_note = f"{leaver} was the buddy and left on {_day(leaver.end_date or today)}."
    bulk_update_with_history(
        plans,
        OnboardingPlan,
        ["buddy", "buddy_status", "buddy_note"],
        default_change_reason=REASON.format(who=leaver),
    )
    plan_ids = [plan.pk for plan in plans]
    reason = REASON.format(who=leaver)
    buddy_tasks = _open_tasks(
        plan_id__in=plan_ids, assignee=leaver, assignee_role=AssigneeRole.BUDDY
    )
    _tasks_set(buddy_tasks, "assignee", None, reason)
    # A pairing partner who left: the new buddy pairs instead (buddies._pair_with_buddy).
    pairing_with_leaver = _open_tasks(
        plan_id__in=plan_ids, kind=Kind.PAIRING, partner=leaver, partner_done_at=None
    )
    _tasks_set(pairing_with_leaver, "partner", None, reason)
    for plan in plans:
        job_enqueue("onboarding.tasks.buddy_replace_task", plan.pk, leaver.pk)


def _open_tasks(**filters):
    return PlanTask.objects.filter(status=PlanTask.Status.OPEN, **filters)


def _tasks_set(tasks, field: str, value, reason: str) -> None:
    """Set one field on the tasks, each change in their history with the reason."""
    rows = list(tasks.select_for_update(of=("self",)))
    for task in rows:
        setattr(task, field, value)
    if rows:
        bulk_update_with_history(rows, PlanTask, [field], default_change_reason=reason)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- tasks in others' plans --------------------------------------------------------------


def _tasks_pass_on(leaver: User) -> None:
    """A manager's tasks go to the leaver's own manager (if still here); any
    other open task assigned to them, or naming them as pairing partner, has
    nobody: the plan page shows "nobody yet" to the people team."""
    others = _open_tasks(plan__status=PlanStatus.ACTIVE).exclude(plan__new_hire=leaver)
    successor = leaver.manager if leaver.manager and leaver.manager.is_active else None
    reason = REASON.format(who=leaver)
    managing = others.filter(assignee=leaver, assignee_role=AssigneeRole.MANAGER)
    _tasks_set(managing, "assignee", successor, reason)
    _tasks_set(others.filter(assignee=leaver), "assignee", None, reason)
    _tasks_set(others.filter(partner=leaver, partner_done_at=None), "partner", None, reason)


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
