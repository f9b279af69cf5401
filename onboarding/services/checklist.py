"""Doing the checklist: completing and undoing plain tasks, and pairing tasks
that the new hire and their partner each confirm with a line about what they
did; the first pairing done is recorded on the plan (time to first pairing)."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from people.errors import ApplicationError
from people.models import User

from .. import policies
from ..models import Kind, OnboardingPlan, PlanTask
from ..selectors.checklist import today_in

Status = PlanTask.Status
NOTE_MAX_LENGTH = 1000


def _locked(task: PlanTask) -> PlanTask:
    """The task, re-read under a row lock so two clicks at once see each other."""
    return (
        PlanTask.objects.select_for_update(of=("self",))
        .select_related("plan__new_hire", "plan__buddy")
        .get(pk=task.pk)
    )


def _is_pairing(task: PlanTask) -> bool:
    return task.kind == Kind.PAIRING


# --- plain tasks -----------------------------------------------------------------------


@transaction.atomic
def task_complete(*, task: PlanTask, by: User) -> PlanTask:
    """Mark a plain task done: its assignee, the new hire for their own tasks,
    or the people team."""
    task = _locked(task)
    if _is_pairing(task):
        raise ApplicationError(
            "A pairing task is done when the new hire and their partner have both confirmed it."
        )
    if not policies.can_complete_task(by, task):
        raise ApplicationError(f"“{task.title}” is not yours to complete.")
    if task.status == Status.DONE:
        raise ApplicationError(f"“{task.title}” is already done.")
    task.status, task.done_at, task.done_by = Status.DONE, timezone.now(), by
    task._history_user = by
    task.save(update_fields=["status", "done_at", "done_by"])
    return task


@transaction.atomic
def task_undo(*, task: PlanTask, by: User) -> PlanTask:
    """Reopen a task. A plain task: whoever completed it or the people team.
    A pairing task: each side takes back only their own confirmation."""
    task = _locked(task)
    if _is_pairing(task):
        return _pairing_undo(task, by)
    if task.status != Status.DONE:
        raise ApplicationError(f"“{task.title}” is not done, so there is nothing to undo.")
    if not policies.can_undo_task(by, task):
        raise ApplicationError(
            f"Only {task.done_by or 'whoever completed it'} or the people team "
            f"can undo “{task.title}”."
        )
    task.status, task.done_at, task.done_by = Status.OPEN, None, None
    task._history_user = by
    task.save(update_fields=["status", "done_at", "done_by"])
    return task


# --- pairing tasks -----------------------------------------------------------------------


@transaction.atomic
def pairing_confirm(*, task: PlanTask, person: User, note: str) -> PlanTask:
    """One side confirms the pairing and writes a line about what they did or
    learned. When both have, the task is done; the plan's first one is recorded."""
    task = _locked(task)
    if not _is_pairing(task):
        raise ApplicationError("Only a pairing task is confirmed by both sides.")
    side = policies.pairing_side(person, task)
    if side is None:
        raise ApplicationError(
            f"Only the new hire and their pairing partner confirm “{task.title}”."
        )
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Write a line about what you did or learned.", field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise ApplicationError(
            f"Keep it to {NOTE_MAX_LENGTH} characters (this is {len(note)}).", field="note"
        )
    if getattr(task, f"{side}_done_at") is not None:
        raise ApplicationError("You have already confirmed this pairing.")
    _check_started(task.plan)
    now = timezone.now()
    setattr(task, f"{side}_done_at", now)
    setattr(task, f"{side}_note", note)
    fields = [f"{side}_done_at", f"{side}_note"]
    if side == "partner" and task.partner_id is None:
        task.partner_id = person.pk  # the buddy confirmed: they are the partner of record
        fields.append("partner")
    if task.new_hire_done_at and task.partner_done_at:
        task.status, task.done_at, task.done_by = Status.DONE, now, person
        fields += ["status", "done_at", "done_by"]
        _record_first_pairing(task.plan_id, now)
    task._history_user = person
    task.save(update_fields=fields)
    return task


def _check_started(plan: OnboardingPlan) -> None:
    """Pairing tasks open on the new hire's start date, in their timezone: a
    pairing confirmed before it would make "time to first pairing" negative."""
    if today_in(plan.timezone) < plan.start_date:
        start = date_format(plan.start_date, "l j F Y")
        raise ApplicationError(
            f"Pairing tasks open on {plan.new_hire}'s start date, {start}: "
            "confirm this one from then."
        )


def _record_first_pairing(plan_id: int, when) -> None:
    """Only the first pairing done sets it. The plan row is locked, and an
    earlier time wins: two pairings finishing at once may take the lock in
    the other order than their clocks."""
    plan = OnboardingPlan.objects.select_for_update().get(pk=plan_id)
    if plan.first_pairing_done_at is None or when < plan.first_pairing_done_at:
        plan.first_pairing_done_at = when
        plan.save(update_fields=["first_pairing_done_at"])


def _pairing_undo(task: PlanTask, by: User) -> PlanTask:
    side = policies.pairing_side(by, task)
    if side is None or getattr(task, f"{side}_done_at") is None:
        raise ApplicationError(
            "Only the person who confirmed a pairing can take back their confirmation."
        )
    was_done = task.status == Status.DONE
    setattr(task, f"{side}_done_at", None)
    setattr(task, f"{side}_note", "")
    fields = [f"{side}_done_at", f"{side}_note"]
    if was_done:
        task.status, task.done_at, task.done_by = Status.OPEN, None, None
        fields += ["status", "done_at", "done_by"]
    task._history_user = by
    task.save(update_fields=fields)
    if was_done:
        _recount_first_pairing(task.plan_id)
    return task


def _recount_first_pairing(plan_id: int) -> None:
    """An undone pairing no longer counts: the first one is the earliest still done."""
    plan = OnboardingPlan.objects.select_for_update().get(pk=plan_id)
    earliest = (
        PlanTask.objects.filter(plan_id=plan_id, kind=Kind.PAIRING, status=Status.DONE)
        .order_by("done_at")
        .values_list("done_at", flat=True)
        .first()
    )
    if plan.first_pairing_done_at != earliest:
        plan.first_pairing_done_at = earliest
        plan.save(update_fields=["first_pairing_done_at"])


@transaction.atomic
def pairing_partner_set(*, task: PlanTask, partner: User, by: User) -> PlanTask:
    """The people team names someone other than the buddy to pair on a task."""
    task = _locked(task)
    if not policies.can_name_partner(by):
        raise ApplicationError("Only the people team names a pairing partner.")
    if not _is_pairing(task):
        raise ApplicationError("Only a pairing task has a partner.")
    if task.status == Status.DONE:
        raise ApplicationError(f"“{task.title}” is already done.")
    if partner.pk == task.plan.new_hire_id:
        raise ApplicationError("The new hire cannot pair with themselves.", field="partner")
    if not partner.is_active:
        raise ApplicationError(f"{partner} no longer works here.", field="partner")
    if task.partner_done_at is not None:
        raise ApplicationError(
            f"{task.partner or task.plan.buddy} already confirmed this pairing: "
            "they take it back first.",
            field="partner",
        )
    task.partner = partner
    task._history_user = by
    task.save(update_fields=["partner"])
    return task
