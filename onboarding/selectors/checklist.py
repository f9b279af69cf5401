"""What the checklist pages show: a plan week by week, the tasks assigned to
someone, and a manager's new hires. A fixed number of queries each; weeks,
progress and "overdue" are worked out in Python from one list of tasks."""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from people import access
from people.models import User
from people.selectors import report_ids

from .. import policies
from ..models import AssigneeRole, Kind, OnboardingPlan, PlanTask

Status = PlanTask.Status
RECENT_DAYS = 7  # how long a done task stays on "tasks assigned to me", to undo it
TEAM_WINDOW_DAYS = 90  # the manager sees new hires who started this recently, or will start


def today_in(timezone_name: str) -> dt.date:
    """Today where the new hire is: their day decides what is due and overdue."""
    return timezone.now().astimezone(_zone(timezone_name)).date()


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


# http(s) links up to a space or bracket; trailing punctuation is the sentence's.
# Greedy, then back over the trailing punctuation only: linear in the text. (A lazy
# match with a look-ahead took 5 s on "http://" followed by 10,000 dots.)
LINK = re.compile(r"https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?]")


@lru_cache(maxsize=4096)
def linkify(text: str) -> str:
    """A description with its links clickable and its line breaks kept.
    Ours, not Django's urlize: that one drops a comma after "(link)," and is
    slow. Remembered: the same template text is on many plans."""
    escaped = escape(text.replace("\r\n", "\n"))
    html = LINK.sub(lambda m: f'<a href="{m[0]}" rel="nofollow">{m[0]}</a>', escaped)
    return mark_safe(html.replace("\n", "<br>"))  # escaped above


@lru_cache(maxsize=1024)
def short_date(day: dt.date, language: str) -> str:
    return date_format(day, "D j M")


class TaskRow:
    """A task as the viewer sees it: what it is, and what they may do with it.

    Everything is worked out once, here, into plain values and small pieces
    of escaped HTML: the checklist page is load-tested, and Django's template
    engine costs a few microseconds per tag and variable, per task."""

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
        self.description_html = linkify(task.description) if task.description else ""
        plain = not self.is_pairing
        self.can_complete = plain and not self.is_done and policies.can_complete_task(viewer, task)
        self.can_undo = plain and self.is_done and policies.can_undo_task(viewer, task)
        self.can_confirm = self.side is not None and not confirmed
        self.can_take_back = confirmed
        self.has_actions = (
            self.can_complete or self.can_undo or self.can_confirm or self.can_take_back
        )
        self.can_change_partner = self.is_pairing and not self.is_done
        zone = _zone(plan.timezone)
        self.meta_html = self._meta(task, today, viewer, language, zone)
        self.confirmations_html = (
            self._confirmations(task, language, zone) if self.is_pairing else ""
        )

    def _other_side(self, task) -> str:
        if self.side == "new_hire":
            return self.partner.name if self.partner else "a partner"
        return task.plan.new_hire.name

    def _meta(self, task, today, viewer, language, zone) -> str:
        """Due when, for whom, and who did it."""
        late = (today - task.due_on).days if self.overdue else 0
        parts = [
            format_html(
                "<span>Due {}{}</span>",
                short_date(task.due_on, language),
                f", {late} day{'s' if late != 1 else ''} ago" if late else "",
            )
        ]
        if self.is_pairing:
            partner = self.partner.name if self.partner else NO_PARTNER
            parts.append(
                format_html("<span>Pairing: {} with {}</span>", task.plan.new_hire.name, partner)
            )
        elif task.assignee_id:
            name = "you" if task.assignee_id == viewer.pk else task.assignee.name
            role = ROLE_LABELS.get(task.assignee_role, "").lower()
            parts.append(format_html("<span>For: {} ({})</span>", name, role))
        elif task.assignee_role == AssigneeRole.BUDDY:
            parts.append(NO_BUDDY_YET)
        else:
            parts.append(format_html("<span>For: {}</span>", ROLE_LABELS[task.assignee_role]))
        if self.is_done and not self.is_pairing and task.done_by_id:
            by = "you" if task.done_by_id == viewer.pk else task.done_by.name
            on = short_date(task.done_at.astimezone(zone).date(), language)
            parts.append(format_html("<span>Done by {} on {}</span>", by, on))
        return mark_safe(" ".join(parts))  # each part is format_html

    def _confirmations(self, task, language, zone) -> str:
        """Each side of a pairing: confirmed when, with their line; or not yet."""
        new_hire = task.plan.new_hire.name
        partner = self.partner.name if self.partner else None
        return mark_safe(  # each part is format_html
            _side(new_hire, task.new_hire_done_at, task.new_hire_note, language, zone)
            + (
                _side(partner, task.partner_done_at, task.partner_note, language, zone)
                if partner
                else WAITING_FOR_PARTNER
            )
        )


NO_PARTNER = mark_safe("<strong>no partner yet</strong>")
NO_BUDDY_YET = mark_safe("<span>For: <strong>no buddy yet</strong></span>")
WAITING_FOR_PARTNER = mark_safe('<li><span class="muted">Waiting for a partner</span></li>')


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


def _side(name: str, done_at, note: str, language: str, zone) -> str:
    if done_at is None:
        return format_html('<li><span class="muted">Not yet confirmed by {}</span></li>', name)
    return format_html(
        '<li><span class="confirmed">Confirmed by {}</span> <span class="muted">on {}</span>:'
        " <q>{}</q></li>",
        name,
        short_date(done_at.astimezone(zone).date(), language),
        note,
    )


@lru_cache(maxsize=256)
def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


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
    recently_done = []
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
    recently_done.sort(key=lambda r: r.task.done_at, reverse=True)
    return MyTasks(groups=ordered, recently_done=recently_done)


# --- the manager's new hires -----------------------------------------------------------


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
        local = done_at.astimezone(_zone(self.plan.timezone)).date()
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


def partner_choices():
    """Active people, for the people team naming a pairing partner by email."""
    return User.objects.filter(is_active=True).order_by("name").values_list("name", "email")
