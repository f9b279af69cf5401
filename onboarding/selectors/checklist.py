"""What the checklist pages show of a plan: week by week, each task as a row
(TaskRow, also used by selectors/assigned.py for the tasks assigned to
someone). A fixed number of queries; weeks, progress and "overdue" are
worked out in Python from one list of tasks."""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from core.timezones import zone_of
from people.models import User

from .. import policies
from ..models import AssigneeRole, Kind, OnboardingPlan, PlanTask

Status = PlanTask.Status


def today_in(timezone_name: str) -> dt.date:
    """Today where the new hire is: their day decides what is due and overdue."""
    return timezone.now().astimezone(zone_of(timezone_name)).date()


def week_of(task: PlanTask, start: dt.date) -> int:
    """Week 0 is before day one; week 1 the first seven days from the start."""
    if task.due_on < start:
        return 0
    return (task.due_on - start).days // 7 + 1


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


KIND_LABELS = dict(Kind.choices)
ROLE_LABELS = dict(AssigneeRole.choices)


@lru_cache(maxsize=1024)
def short_date(day: dt.date, language: str) -> str:
    return date_format(day, "D j M")


@dataclass
class MetaPart:
    """One fact under a task's title; ``missing`` is shown in bold after it."""

    text: str
    missing: str = ""


@dataclass
class Side:
    """One side of a pairing task: who, when they confirmed (None: not yet),
    their line. ``name`` None: no partner named yet."""

    name: str | None
    done_on: str | None
    note: str


class TaskRow:
    """A task as the viewer sees it: what it is, and what they may do with it.

    Everything is worked out once, here, into plain values (the template
    only lays them out): the checklist page is load-tested, and Django's
    template engine costs a few microseconds per tag and variable, per task."""

    def __init__(self, task: PlanTask, *, today: dt.date, viewer: User):
        plan = task.plan
        language = get_language()
        self.task, self.pk, self.title = task, task.pk, task.title
        self.is_pairing = task.kind == Kind.PAIRING
        self.is_done = task.status == Status.DONE
        self.partner = (task.partner or plan.buddy) if self.is_pairing else None
        self.side = policies.pairing_side(viewer, task) if self.is_pairing else None
        confirmed = self.side is not None and getattr(task, f"{self.side}_done_at") is not None
        # A pairing the viewer has confirmed waits on the other person: it is
        # not late for the viewer, whatever its date (the other side still sees it).
        self.waiting_on = self._other_side(task) if confirmed and not self.is_done else None
        open_for_viewer = not self.is_done and self.waiting_on is None
        self.overdue = open_for_viewer and task.due_on < today
        self.due_today = open_for_viewer and task.due_on == today
        self.state_class, self.badge, self.badge_class = _state(self)
        self.kind_label = KIND_LABELS.get(task.kind, task.kind)
        self.description = task.description
        plain = not self.is_pairing
        self.can_complete = plain and not self.is_done and policies.can_complete_task(viewer, task)
        self.can_undo = plain and self.is_done and policies.can_undo_task(viewer, task)
        self.can_confirm = self.side is not None and not confirmed
        self.can_take_back = confirmed
        self.has_actions = (
            self.can_complete or self.can_undo or self.can_confirm or self.can_take_back
        )
        self.can_change_partner = self.is_pairing and not self.is_done
        zone = zone_of(plan.timezone)
        self.meta = self._meta(task, today, viewer, language, zone)
        self.sides = self._sides(task, language, zone) if self.is_pairing else []

    def _other_side(self, task) -> str:
        if self.side == "new_hire":
            return self.partner.name if self.partner else "a partner"
        return task.plan.new_hire.name

    def _meta(self, task, today, viewer, language, zone) -> list[MetaPart]:
        """Due when, for whom, and who did it."""
        late = (today - task.due_on).days if self.overdue else 0
        ago = f", {late} day{'s' if late != 1 else ''} ago" if late else ""
        parts = [MetaPart(f"Due {short_date(task.due_on, language)}{ago}")]
        if self.is_pairing:
            with_whom = f"Pairing: {task.plan.new_hire.name} with "
            parts.append(
                MetaPart(with_whom + self.partner.name)
                if self.partner
                else MetaPart(with_whom, missing="no partner yet")
            )
        elif task.assignee_id:
            name = "you" if task.assignee_id == viewer.pk else task.assignee.name
            role = ROLE_LABELS.get(task.assignee_role, "").lower()
            parts.append(MetaPart(f"For: {name} ({role})"))
        elif task.assignee_role == AssigneeRole.BUDDY:
            parts.append(MetaPart("For: ", missing="no buddy yet"))
        else:
            parts.append(MetaPart(f"For: {ROLE_LABELS[task.assignee_role]}"))
        if self.is_done and not self.is_pairing and task.done_by_id:
            by = "you" if task.done_by_id == viewer.pk else task.done_by.name
            on = short_date(task.done_at.astimezone(zone).date(), language)
            parts.append(MetaPart(f"Done by {by} on {on}"))
        return parts

    def _sides(self, task, language, zone) -> list[Side]:
        """Each side of a pairing: confirmed when, with their line, or not
        yet; a partner not named yet is a side nobody can confirm."""

        def side(name: str, done_at, note: str) -> Side:
            if done_at is None:
                return Side(name=name, done_on=None, note="")
            return Side(name, short_date(done_at.astimezone(zone).date(), language), note)

        new_hire = side(task.plan.new_hire.name, task.new_hire_done_at, task.new_hire_note)
        if self.partner is None:
            return [new_hire, Side(name=None, done_on=None, note="")]
        return [new_hire, side(self.partner.name, task.partner_done_at, task.partner_note)]


def _state(row: "TaskRow") -> tuple[str, str, str]:
    """The row's class and its badge, said in words ("Overdue"), not only by colour."""
    if row.is_done:
        return " task-done", "Done", "status-completed"
    if row.waiting_on:
        return " task-waiting", f"Waiting for {row.waiting_on}", "badge-muted"
    if row.overdue:
        return " task-overdue", "Overdue", "badge-overdue"
    if row.due_today:
        return " task-today", "Due today", "badge-today"
    return "", "", ""


@dataclass
class Week:
    number: int
    starts: dt.date | None
    ends: dt.date | None
    rows: list[TaskRow] = field(default_factory=list)
    is_current: bool = False
    done: int = 0
    overdue: int = 0

    @property
    def anchor(self) -> str:
        return f"week-{self.number}"

    @property
    def title(self) -> str:
        return "Before day one" if self.number == 0 else f"Week {self.number}"

    def add(self, row: TaskRow) -> None:
        self.rows.append(row)
        self.done += row.is_done
        self.overdue += row.overdue


@dataclass
class Checklist:
    plan: OnboardingPlan
    today: dt.date
    weeks: list[Week]
    progress: Progress

    @property
    def overdue(self) -> int:
        return sum(week.overdue for week in self.weeks)

    @property
    def due_today(self) -> int:
        return sum(1 for week in self.weeks for row in week.rows if row.due_today)


def plan_get(*, plan_id: int) -> OnboardingPlan:
    """A plan with the people its page names, in one query."""
    return OnboardingPlan.objects.select_related(
        "new_hire__team", "new_hire__manager", "buddy__team"
    ).get(pk=plan_id)


def plan_of(*, person: User) -> OnboardingPlan | None:
    return OnboardingPlan.objects.filter(new_hire=person).only("pk").first()


# What a task row shows: loading only these keeps the page quick with 30 tasks.
TASK_FIELDS = (
    "plan_id",
    "title",
    "description",
    "kind",
    "assignee_role",
    "due_on",
    "position",
    "status",
    "done_at",
    "new_hire_done_at",
    "new_hire_note",
    "partner_done_at",
    "partner_note",
)
TASK_PEOPLE = ("assignee", "partner", "done_by")


def checklist_for(*, plan: OnboardingPlan, viewer: User) -> Checklist:
    """The plan week by week: one query for its tasks however many there are,
    and at most one for the people they name who are not on the plan already."""
    today = today_in(plan.timezone)
    tasks = list(
        PlanTask.objects.filter(plan=plan)
        .only(*TASK_FIELDS, *(f"{name}_id" for name in TASK_PEOPLE))
        .order_by("due_on", "position", "id")
    )
    _attach_people(tasks, plan)
    weeks: dict[int, Week] = {}
    current = week_of_date(today, plan.start_date)
    for task in tasks:
        number = week_of(task, plan.start_date)
        week = weeks.get(number)
        if week is None:
            week = weeks[number] = _week(number, plan.start_date, current)
        week.add(TaskRow(task, today=today, viewer=viewer))
    done = sum(1 for task in tasks if task.status == Status.DONE)
    return Checklist(
        plan=plan,
        today=today,
        weeks=[weeks[n] for n in sorted(weeks)],
        progress=Progress(done=done, total=len(tasks)),
    )


def _attach_people(tasks: list[PlanTask], plan: OnboardingPlan) -> None:
    """Tasks name few people, mostly the new hire, their manager and the buddy,
    who came with the plan: reuse those instead of joining a user per task."""
    known = {p.pk: p for p in (plan.new_hire, plan.new_hire.manager, plan.buddy) if p}
    wanted = {getattr(t, f"{name}_id") for t in tasks for name in TASK_PEOPLE}
    wanted -= {None, *known}
    if wanted:
        known.update(User.objects.only("name").in_bulk(wanted))
    for task in tasks:
        task.plan = plan  # the rows read the plan's buddy and new hire
        for name in TASK_PEOPLE:
            setattr(task, name, known.get(getattr(task, f"{name}_id")))


def week_of_date(day: dt.date, start: dt.date) -> int:
    return 0 if day < start else (day - start).days // 7 + 1


def _week(number: int, start: dt.date, current: int) -> Week:
    if number == 0:
        return Week(
            number=0, starts=None, ends=start - dt.timedelta(days=1), is_current=current == 0
        )
    starts = start + dt.timedelta(days=7 * (number - 1))
    return Week(
        number=number,
        starts=starts,
        ends=starts + dt.timedelta(days=6),
        is_current=current == number,
    )


# --- tasks assigned to me ------------------------------------------------------------


def partner_choices():
    """Active people, for the people team naming a pairing partner by email."""
    return User.objects.filter(is_active=True).order_by("name").values_list("name", "email")
