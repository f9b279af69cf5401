"""Re-sync a plan with today's templates: first what would change, then the
change itself. Completed tasks and tasks added by hand never change."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from ladders.selectors.standing import current_placement
from people.history import history_record_created
from people.models import User

from ...calendar import add_working_days
from ...models import AssigneeRole, ChecklistTemplate, Kind, OnboardingPlan, PlanTask, TemplateItem
from .compose import (
    Catalogue,
    applicable_templates,
    assignee_id_for,
    catalogue_load,
    composed_items,
    task_from_item,
)
from .create import TASKS_PER_INSERT


def shown_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"  # Tue 1 Dec 2026


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before or '(empty)'} → {self.after or '(empty)'}"


@dataclass(frozen=True)
class PlanChange:
    """One thing a re-sync would do to a plan."""

    ADD, REMOVE, CHANGE = "add", "remove", "change"

    action: str
    title: str
    task: PlanTask | None = None
    item: TemplateItem | None = None
    due_on: date | None = None
    position: int = 0
    differences: tuple[Difference, ...] = ()

    def __str__(self) -> str:
        if self.action == self.ADD:
            assert self.due_on is not None  # an ADD is always due
            return f'Add "{self.title}", due {shown_date(self.due_on)}'
        if self.action == self.REMOVE:
            return f'Remove "{self.title}" (no longer in the templates)'
        return f'Change "{self.title}": ' + "; ".join(str(d) for d in self.differences)


# The task fields a re-sync copies from the template item, with their labels.
SYNCED_FIELDS = {
    "title": "title",
    "description": "description",
    "kind": "kind",
    "assignee_role": "assignee role",
    "due_offset": "due offset (working days)",
    "competency_code": "competency",
}
KIND_LABELS = dict(Kind.choices)
ROLE_LABELS = dict(AssigneeRole.choices)


def plan_sync_preview(*, plan: OnboardingPlan) -> list[PlanChange]:
    """What re-syncing the plan with today's templates would add, remove and
    change. Completed tasks never change; only open tasks are removed."""
    return _changes(plan, *_templates_today(plan))


def _templates_today(plan: OnboardingPlan) -> tuple[list[ChecklistTemplate], Catalogue]:
    """The templates that apply to the new hire today (team, level may have moved)."""
    catalogue = catalogue_load()
    templates = applicable_templates(
        person=plan.new_hire,
        templates=catalogue.templates,
        placement=current_placement(person=plan.new_hire),
        team_parent=catalogue.team_parent,
    )
    return templates, catalogue


def _changes(
    plan: OnboardingPlan, templates: list[ChecklistTemplate], catalogue: Catalogue
) -> list[PlanChange]:
    items = composed_items(templates)
    tasks = list(plan.tasks.all())
    by_item = {task.source_item_id: task for task in tasks if task.source_item_id}
    changes = []
    for position, item in enumerate(items):
        due_on = add_working_days(plan.start_date, item.due_offset, catalogue.holidays)
        task = by_item.get(item.pk)
        if task is None:
            changes.append(PlanChange(PlanChange.ADD, item.title, None, item, due_on, position))
        elif task.status == PlanTask.Status.OPEN:
            differences = _differences(task, item, due_on)
            if differences:
                changes.append(
                    PlanChange(
                        PlanChange.CHANGE, task.title, task, item, due_on, position, differences
                    )
                )
    wanted = {item.pk for item in items}
    from_deleted_items = _tasks_from_deleted_items(tasks)
    for task in tasks:
        if task.status != PlanTask.Status.OPEN:
            continue
        item_gone = task.source_item_id is not None and task.source_item_id not in wanted
        if item_gone or task.pk in from_deleted_items:
            changes.append(PlanChange(PlanChange.REMOVE, task.title, task))
    return changes


def _differences(task: PlanTask, item: TemplateItem, due_on: date) -> tuple[Difference, ...]:
    found = [
        Difference(label, _shown(name, getattr(task, name)), _shown(name, getattr(item, name)))
        for name, label in SYNCED_FIELDS.items()
        if getattr(task, name) != getattr(item, name)
    ]
    if task.due_on != due_on:
        found.append(Difference("due date", shown_date(task.due_on), shown_date(due_on)))
    return tuple(found)


def _shown(name: str, value) -> str:
    labels = {"kind": KIND_LABELS, "assignee_role": ROLE_LABELS}.get(name, {})
    return str(labels.get(value, value))


def _tasks_from_deleted_items(tasks: list[PlanTask]) -> set[int]:
    """Open tasks whose template item was deleted: deleting an item empties the
    task's link, and only the task's creation record still names the item.
    Tasks the people team added by hand were created with no item: kept."""
    unlinked = [
        t.pk for t in tasks if t.source_item_id is None and t.status == PlanTask.Status.OPEN
    ]
    if not unlinked:
        return set()
    return set(
        PlanTask.history.filter(
            id__in=unlinked, history_type="+", source_item_id__isnull=False
        ).values_list("id", flat=True)
    )


@transaction.atomic
def plan_sync(*, plan: OnboardingPlan, by: User | None) -> list[PlanChange]:
    """Apply what plan_sync_preview shows, worked out again under a lock so that
    two re-syncs at once do not add the same items twice."""
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("new_hire")
        .get(pk=plan.pk)
    )
    templates, catalogue = _templates_today(plan)
    changes = _changes(plan, templates, catalogue)
    reason = "re-synced with the templates"
    _sync_add(plan, [c for c in changes if c.action == PlanChange.ADD], by, reason)
    _sync_change(plan, [c for c in changes if c.action == PlanChange.CHANGE], by, reason)
    removed = [c.task.pk for c in changes if c.action == PlanChange.REMOVE and c.task]
    for task in PlanTask.objects.filter(pk__in=removed, status=PlanTask.Status.OPEN):
        task._history_user = by
        task.delete()
    plan.templates = [template.name for template in templates]
    plan.synced_at = timezone.now()
    plan._history_user = by
    plan._change_reason = reason
    plan.save(update_fields=["templates", "synced_at"])
    return changes


def _sync_add(plan: OnboardingPlan, changes: list[PlanChange], by, reason: str) -> None:
    if not changes:
        return
    tasks = []
    for c in changes:
        assert c.item is not None and c.due_on is not None  # an ADD names both
        tasks.append(
            task_from_item(
                c.item, plan=plan, person=plan.new_hire, due_on=c.due_on, position=c.position
            )
        )
    PlanTask.objects.bulk_create(tasks, batch_size=TASKS_PER_INSERT)
    rows = PlanTask.objects.filter(pk__in=[t.pk for t in tasks])
    history_record_created(rows=rows, by=by, reason=reason)


def _sync_change(plan: OnboardingPlan, changes: list[PlanChange], by, reason: str) -> None:
    if not changes:
        return
    tasks = []
    for change in changes:
        task, item = change.task, change.item
        assert task and item and change.due_on  # a CHANGE names all three
        if task.assignee_role != item.assignee_role:
            task.assignee_id = assignee_id_for(item.assignee_role, plan=plan, person=plan.new_hire)
        for name in SYNCED_FIELDS:
            setattr(task, name, getattr(item, name))
        task.due_on = change.due_on
        task.position = change.position
        tasks.append(task)
    fields = [*SYNCED_FIELDS, "assignee", "due_on", "position"]
    bulk_update_with_history(tasks, PlanTask, fields, default_user=by, default_change_reason=reason)
