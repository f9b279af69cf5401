"""The people team's edits to one plan, handing a role's open tasks to
the person who now holds it (a buddy once chosen, a new manager), and a plan
following its new hire's start date when it moves."""

from datetime import date

from django.db import transaction
from django.db.models import F, Max
from simple_history.utils import bulk_update_with_history

from people.errors import ApplicationError
from people.models import User

from ...calendar import first_working_day, working_days_between
from ...models import AssigneeRole, Holiday, Kind, OnboardingPlan, PlanTask
from .compose import DueDates, assignee_id_for

ROLE_LABELS = dict(AssigneeRole.choices)


@transaction.atomic
def plan_task_add(
    *,
    plan: OnboardingPlan,
    title: str,
    due_on: date,
    kind: str = Kind.SETUP,
    assignee_role: str = AssigneeRole.NEW_HIRE,
    assignee: User | None = None,
    description: str = "",
    by: User | None = None,
) -> PlanTask:
    """A task for this plan only, not from a template: a re-sync keeps it.
    With no assignee, the role decides (as for template items)."""
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    day_one = first_working_day(plan.start_date, holidays)
    last = plan.tasks.aggregate(last=Max("position"))["last"]
    if assignee is None:
        assignee_id = assignee_id_for(assignee_role, plan=plan, person=plan.new_hire)
    else:
        assignee_id = assignee.pk
    task = PlanTask(
        plan=plan,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        assignee_role=assignee_role,
        assignee_id=assignee_id,
        due_offset=working_days_between(day_one, due_on, holidays),
        due_on=due_on,
        position=0 if last is None else last + 1,
    )
    task.full_clean()
    task._history_user = by
    task.save()
    return task


def _open_task(task: PlanTask, doing: str) -> PlanTask:
    """The task, locked and read again: it may have been marked done since
    the page was shown (race condition otherwise)."""
    locked = PlanTask.objects.select_for_update().get(pk=task.pk)
    if locked.status == PlanTask.Status.DONE:
        raise ApplicationError(
            f'"{locked.title}" is done; completed tasks stay as they were, so it cannot be {doing}.'
        )
    return locked


@transaction.atomic
def plan_task_remove(*, task: PlanTask, by: User | None = None) -> None:
    task = _open_task(task, "removed")
    task._history_user = by
    task.delete()


@transaction.atomic
def plan_task_reassign(
    *, task: PlanTask, assignee: User | None, by: User | None = None
) -> PlanTask:
    """Give the task to someone else; nobody puts it back in the role's queue."""
    task = _open_task(task, "reassigned")
    task.assignee = assignee
    task._history_user = by
    task.save(update_fields=["assignee"])
    return task


@transaction.atomic
def plan_assign_role(
    *, plan: OnboardingPlan, role: str, person: User | None, by: User | None = None
) -> int:
    """Give every open task of the role on this plan to the person (a buddy
    once chosen, a new manager); completed tasks keep who did them. Returns
    how many tasks changed hands."""
    if role not in AssigneeRole.values:
        raise ApplicationError(f'"{role}" is not an assignee role.', field="role")
    # Locked, so that a task marked done meanwhile keeps who did it.
    tasks = list(
        plan.tasks.select_for_update().filter(assignee_role=role, status=PlanTask.Status.OPEN)
    )
    for task in tasks:
        task.assignee = person
    if tasks:
        bulk_update_with_history(
            tasks,
            PlanTask,
            ["assignee"],
            default_user=by,
            default_change_reason=f"{ROLE_LABELS[role].lower()} assigned",
        )
    return len(tasks)


@transaction.atomic
def plans_follow_start_dates(changes: dict[int, set[str]]) -> list[OnboardingPlan]:
    """After a start date moves (people/hooks.py): the plan starts on the new
    date, so its pairing tasks open then, and its open tasks fall due as many
    working days from it as before; done tasks keep their dates."""
    person_ids = [person_id for person_id, fields in changes.items() if "start_date" in fields]
    plans = list(
        OnboardingPlan.objects.select_for_update(of=("self",))
        .filter(new_hire_id__in=person_ids, new_hire__start_date__isnull=False)
        .exclude(start_date=F("new_hire__start_date"))
        .select_related("new_hire")
    )
    if not plans:
        return []
    due = DueDates(frozenset(Holiday.objects.values_list("date", flat=True)))
    starts: dict[int, date] = {}
    for plan in plans:
        start = plan.new_hire.start_date
        assert start is not None  # filtered above: people with a start date
        starts[plan.pk] = plan.start_date = start
    tasks = list(
        PlanTask.objects.select_for_update().filter(plan_id__in=starts, status=PlanTask.Status.OPEN)
    )  # one query for every plan's open tasks
    for task in tasks:
        task.due_on = due(starts[task.plan_id], task.due_offset)
    bulk_update_with_history(
        plans, OnboardingPlan, ["start_date"], default_change_reason="start date moved"
    )
    bulk_update_with_history(
        tasks, PlanTask, ["due_on"], batch_size=500, default_change_reason="start date moved"
    )
    return plans
