"""Offboarding checklists: built for each leaver from the offboarding
templates (the same templates and rules as onboarding, purpose
"offboarding"), due dates counted back from the last day in working days.

Lifecycle (people/hooks.py, wired in settings.PERSON_LIFECYCLE_SUBSCRIBERS):
a last day set or moved builds the leaver's one current checklist or
re-dates its open tasks; a last day cleared (they stay) or a rehire cancels
an open checklist and makes it history. Small writes in the caller's
transaction, safe to run twice."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from people.errors import ApplicationError
from people.models import User

from .. import policies
from ..calendar import count_from_last_day
from ..models import AssigneeRole, Holiday, OffboardingChecklist, OffboardingTask, Purpose
from .plans.compose import (
    Catalogue,
    catalogue_load_for,
    composed_items,
    templates_by_person,
)

Status = OffboardingChecklist.Status
TaskStatus = OffboardingTask.Status
REDATED_REASON = "the last day moved"


# --- the lifecycle's subscribers -------------------------------------------------------


def checklists_for_leaving(person_ids: list[int]) -> None:
    """person_leaving: each one's current checklist follows their last day:
    built, re-dated, or cancelled when it was cleared (they stay after all)."""
    people = list(User.objects.filter(pk__in=person_ids).select_related("team"))
    current = {
        checklist.leaver_id: checklist
        for checklist in OffboardingChecklist.objects.select_for_update().filter(
            leaver_id__in=person_ids, current=True
        )
    }
    leavers = [person for person in people if person.end_date is not None]
    staying = [
        current[p.pk] for p in people if p.end_date is None and p.is_active and p.pk in current
    ]
    to_build = [person for person in leavers if person.pk not in current]
    moved = {current[person.pk]: last_day_of(person) for person in leavers if person.pk in current}
    if moved:
        holidays = frozenset(Holiday.objects.values_list("date", flat=True))
        checklists_redate(moved, holidays=holidays)
    if to_build:
        checklists_build(people=to_build)
    _checklists_close(staying, reason="they stay: last day cleared")


def checklists_cancel_for_returned(person_ids: list[int]) -> None:
    """person_returned: they stay after all."""
    checklists = list(
        OffboardingChecklist.objects.select_for_update().filter(
            leaver_id__in=person_ids, current=True
        )
    )
    _checklists_close(checklists, reason="they stay: returned")


def _checklists_close(checklists: list[OffboardingChecklist], *, reason: str) -> None:
    """An open checklist is cancelled; done or cancelled, it becomes history,
    so leaving again starts afresh."""
    for checklist in checklists:
        checklist.current = False
        if checklist.status == Status.OPEN:
            checklist.status, checklist.closed_at = Status.CANCELLED, timezone.now()
    if checklists:
        bulk_update_with_history(
            checklists,
            OffboardingChecklist,
            ["current", "status", "closed_at"],
            default_change_reason=reason,
        )


# --- building and re-dating ------------------------------------------------------------


def checklists_build(*, people: Iterable[User]) -> list[OffboardingChecklist]:
    """One checklist per leaver with a last day, from the templates that take
    them in (the same rules as onboarding: everyone, team, level, track)."""
    people = list(people)
    catalogue = catalogue_load_for(Purpose.OFFBOARDING)
    templates_of = templates_by_person(people, catalogue)
    # In bulk, checklists then all their tasks: a whole CSV of leavers costs a
    # few queries, not a few per leaver.
    built = bulk_create_with_history(
        [
            OffboardingChecklist(
                leaver=person,
                last_day=last_day_of(person),
                templates=[t.name for t in templates_of[person.pk]],
            )
            for person in people
        ],
        OffboardingChecklist,
        default_change_reason="offboarding checklist built",
    )
    tasks = [
        task
        for checklist, person in zip(built, people, strict=True)
        for task in _tasks_for(checklist, person, templates_of[person.pk], catalogue)
    ]
    bulk_create_with_history(
        tasks, OffboardingTask, batch_size=500, default_change_reason="offboarding checklist built"
    )
    return built


def _tasks_for(checklist, person: User, templates, catalogue: Catalogue) -> list[OffboardingTask]:
    return [
        OffboardingTask(
            checklist=checklist,
            source_item=item,
            title=item.title,
            description=item.description,
            assignee_role=item.assignee_role,
            assignee_id=assignee_id_for(item.assignee_role, leaver=person),
            due_offset=item.due_offset,
            due_on=count_from_last_day(last_day_of(person), item.due_offset, catalogue.holidays),
            position=position,
        )
        for position, item in enumerate(composed_items(templates))
    ]


def assignee_id_for(role: str, *, leaver: User) -> int | None:
    """The manager's tasks go to the leaver's manager; the people team's stay
    in the team's shared queue (no one person); the leaver's own to them."""
    owners: dict[str, int | None] = {
        AssigneeRole.MANAGER: leaver.manager_id,
        AssigneeRole.NEW_HIRE: leaver.pk,
    }
    return owners.get(role)


def last_day_of(person: User) -> date:
    """A leaver's last day; only those with one get a checklist."""
    if person.end_date is None:
        raise ApplicationError(f"{person} has no last day: there is no checklist to build.")
    return person.end_date


def checklists_redate(
    last_days: dict[OffboardingChecklist, date], *, holidays: frozenset[date]
) -> int:
    """Last days moved: open tasks follow them; done ones keep their dates.
    Returns how many tasks moved."""
    changed = [c for c, day in last_days.items() if c.last_day != day]
    for checklist in changed:
        checklist.last_day = last_days[checklist]
    if changed:
        bulk_update_with_history(
            changed, OffboardingChecklist, ["last_day"], default_change_reason=REDATED_REASON
        )
    day_of = {checklist.pk: day for checklist, day in last_days.items()}
    moved = []
    for task in OffboardingTask.objects.filter(checklist_id__in=day_of, status=TaskStatus.OPEN):
        due_on = count_from_last_day(day_of[task.checklist_id], task.due_offset, holidays)
        if task.due_on != due_on:
            task.due_on = due_on
            moved.append(task)
    if moved:
        bulk_update_with_history(
            moved, OffboardingTask, ["due_on"], default_change_reason=REDATED_REASON
        )
    return len(moved)


# --- ticking tasks ---------------------------------------------------------------------


@transaction.atomic
def offboarding_task_mark(*, task: OffboardingTask, by: User, done: bool) -> OffboardingTask:
    """Tick or untick a task; the checklist is done when every task is."""
    task = (
        OffboardingTask.objects.select_for_update(of=("self",))
        .select_related("checklist__leaver")
        .get(pk=task.pk)
    )
    if not policies.can_tick_offboarding_task(by, task):
        raise ApplicationError("Only the leaver's manager or the people team can tick this.")
    checklist = task.checklist
    if checklist.status == Status.CANCELLED:
        raise ApplicationError(f"{checklist} was cancelled: {checklist.leaver} stays.")
    wanted = TaskStatus.DONE if done else TaskStatus.OPEN
    if task.status == wanted:
        return task
    task.status = wanted
    task.done_at, task.done_by = (timezone.now(), by) if done else (None, None)
    task._history_user = by
    task.save(update_fields=["status", "done_at", "done_by"])
    _checklist_status_follow(checklist)
    return task


def _checklist_status_follow(checklist: OffboardingChecklist) -> None:
    open_left = checklist.tasks.filter(status=TaskStatus.OPEN).exists()
    status = Status.OPEN if open_left else Status.DONE
    if checklist.status != status:
        checklist.status = status
        checklist.closed_at = None if open_left else timezone.now()
        checklist.save(update_fields=["status", "closed_at"])
