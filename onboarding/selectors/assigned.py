"""What is on someone's plate: the tasks assigned to them (my_tasks) and, for
a manager, how their new hires are doing (team_progress). Each a fixed number
of queries; rows are checklist.TaskRow, as on a plan's own page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.timezones import zone_of
from people import access
from people.models import User
from people.selectors import report_ids

from ..models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from .checklist import Progress, TaskRow, today_in

Status = PlanTask.Status
RECENT_DAYS = 7  # how long a done task stays on "tasks assigned to me", to undo it
TEAM_WINDOW_DAYS = 90  # the manager sees new hires who started this recently, or will start


@dataclass
class TaskGroup:
    """One new hire's tasks for the viewer, overdue first."""

    plan: OnboardingPlan
    rows: list[TaskRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def anchor(self) -> str:
        return f"plan-{self.plan.pk}"


@dataclass
class MyTasks:
    groups: list[TaskGroup]
    recently_done: list[TaskRow]

    @property
    def open_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.groups)


def _mine(viewer: User) -> Q:
    """Tasks the viewer does: assigned to them, pairings they are the partner
    of (named, or as the buddy), and the people team's tasks nobody took."""
    mine = (
        Q(assignee=viewer)
        | Q(kind=Kind.PAIRING, partner=viewer)
        | Q(kind=Kind.PAIRING, partner__isnull=True, plan__buddy=viewer)
    )
    if access.is_people_team(viewer):
        mine |= Q(assignee_role=AssigneeRole.PEOPLE_TEAM, assignee__isnull=True)
    return mine


def my_tasks(*, viewer: User) -> MyTasks:
    """Open tasks grouped by new hire (overdue first), and what the viewer did
    in the last few days, to undo it. One query for the tasks."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    did = Q(done_by=viewer) | Q(kind=Kind.PAIRING, plan__new_hire=viewer) | _mine(viewer)
    tasks = (
        PlanTask.objects.filter(
            (Q(status=Status.OPEN) & _mine(viewer))
            | (Q(status=Status.DONE, done_at__gte=since) & did),
            plan__new_hire__is_active=True,
            plan__status=OnboardingPlan.Status.ACTIVE,
        )
        .select_related("plan__new_hire__team", "plan__buddy", "assignee", "partner", "done_by")
        .order_by("due_on", "position", "id")
    )
    todays: dict[str, dt.date] = {}
    groups: dict[int, TaskGroup] = {}
    recently_done: list[TaskRow] = []
    for task in tasks:
        plan = task.plan
        today = todays.get(plan.timezone) or todays.setdefault(
            plan.timezone, today_in(plan.timezone)
        )
        row = TaskRow(task, today=today, viewer=viewer)
        if row.is_done:
            recently_done.append(row)
        else:
            groups.setdefault(plan.pk, TaskGroup(plan=plan, rows=[])).rows.append(row)
    for group in groups.values():
        group.rows.sort(key=lambda r: (not r.overdue, r.task.due_on, r.task.position, r.task.pk))
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.overdue == 0, g.rows[0].task.due_on, g.plan.new_hire.name),
    )
    recently_done.sort(key=_done_at, reverse=True)
    return MyTasks(groups=ordered, recently_done=recently_done)


def _done_at(row: TaskRow) -> dt.datetime:
    # A done task always has done_at; the minimum only keeps the sort total.
    return row.task.done_at or dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class NewHireProgress:
    plan: OnboardingPlan
    progress: Progress
    overdue: int

    @property
    def days_to_first_pairing(self) -> int | None:
        done_at = self.plan.first_pairing_done_at
        if done_at is None:
            return None
        local = done_at.astimezone(zone_of(self.plan.timezone)).date()
        return (local - self.plan.start_date).days

    @property
    def started(self) -> bool:
        return self.plan.start_date <= today_in(self.plan.timezone)


def team_progress(*, manager: User) -> list[NewHireProgress]:
    """Everyone under the manager with a plan that started in the last 90
    days or starts later: two queries however many there are.

    Overdue depends on each new hire's own today, which is the UTC date or a
    day either side: the three counts are taken at once and the right one kept."""
    utc_today = timezone.now().astimezone(dt.UTC).date()
    open_before = {
        shift: Count(
            "tasks",
            filter=Q(
                tasks__status=Status.OPEN,
                tasks__due_on__lt=utc_today + dt.timedelta(days=shift),
            ),
        )
        for shift in (-1, 0, 1)
    }
    plans = (
        OnboardingPlan.objects.filter(
            new_hire_id__in=report_ids(manager_id=manager.pk),
            new_hire__is_active=True,
            status=OnboardingPlan.Status.ACTIVE,
            start_date__gte=utc_today - dt.timedelta(days=TEAM_WINDOW_DAYS),
        )
        .select_related("new_hire__team", "buddy")
        .annotate(
            total=Count("tasks"),
            done=Count("tasks", filter=Q(tasks__status=Status.DONE)),
            overdue_m1=open_before[-1],
            overdue_0=open_before[0],
            overdue_p1=open_before[1],
        )
        .order_by("start_date", "new_hire__name")
    )
    rows = []
    for plan in plans:
        shift = (today_in(plan.timezone) - utc_today).days
        overdue = {-1: plan.overdue_m1, 0: plan.overdue_0, 1: plan.overdue_p1}[shift]
        rows.append(
            NewHireProgress(plan=plan, progress=Progress(plan.done, plan.total), overdue=overdue)
        )
    return rows
