"""Reads for the people team's onboarding report: completion by day 30/60/90
per start-month cohort, overdue tasks by assignee role and by person, buddy
load and time to first pairing task. A fixed number of queries, however many
plans: counts are aggregated in the database, cohorts grouped in Python."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, DateField, F, Min, Q
from django.db.models.functions import Cast

from core.timezones import zone_of
from people.models import User

from ..calendar import working_days_between
from ..models import AssigneeRole, Holiday, OnboardingPlan, PlanTask
from .buddies import buddy_cap, buddy_loads

MILESTONES = (30, 60, 90)
DONE = PlanTask.Status.DONE
OPEN = PlanTask.Status.OPEN
PLAN_ACTIVE = OnboardingPlan.Status.ACTIVE  # a cancelled plan (left before starting) is out


def _day(n: int):
    """Day n of a plan as a date: day 1 is the start date."""
    return Cast(F("start_date") + dt.timedelta(days=n - 1), DateField())


def _milestone_counts() -> dict:
    counts = {}
    for n in MILESTONES:
        due = Q(tasks__due_on__lte=_day(n))
        counts[f"due_by_{n}"] = Count("tasks", filter=due)
        counts[f"done_by_{n}"] = Count(
            "tasks", filter=due & Q(tasks__status=DONE, tasks__done_at__date__lte=_day(n))
        )
    return counts


class TaskCounts(TypedDict):
    tasks_total: int
    tasks_done: int
    tasks_overdue: int


if TYPE_CHECKING:  # django-stubs-ext is a dev dependency: for mypy only
    from django_stubs_ext import WithAnnotations

    # A plan as plan_figures() reads it (the due_by_/done_by_ counts are read by name).
    PlanWithCounts: TypeAlias = WithAnnotations[OnboardingPlan, TaskCounts]


@dataclass
class PlanFigures:
    """One plan's figures: a row of the CSV export."""

    plan: "PlanWithCounts"
    today: dt.date
    first_pairing_days: int | None  # working days from the start date

    @property
    def cohort(self) -> dt.date:
        return self.plan.start_date.replace(day=1)

    def reached(self, n: int) -> bool:
        return self.today >= self.plan.start_date + dt.timedelta(days=n - 1)

    def due_by(self, n: int) -> int:
        return getattr(self.plan, f"due_by_{n}")

    def done_by(self, n: int) -> int:
        return getattr(self.plan, f"done_by_{n}")

    def completion(self, n: int) -> float | None:
        """Share (0-100) of the tasks due by day n that were done by day n;
        None before day n or when nothing was due."""
        if not self.reached(n) or not self.due_by(n):
            return None
        return 100 * self.done_by(n) / self.due_by(n)


def plan_figures(*, today: dt.date) -> list[PlanFigures]:
    """Every plan of a person still here, with its counts: 2 queries."""
    holidays = set(Holiday.objects.values_list("date", flat=True))
    plans = (
        OnboardingPlan.objects.filter(new_hire__is_active=True, status=PLAN_ACTIVE)
        .select_related("new_hire__team", "new_hire__manager", "buddy")
        .annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__status=DONE)),
            tasks_overdue=Count("tasks", filter=Q(tasks__status=OPEN, tasks__due_on__lt=today)),
            **_milestone_counts(),
        )
        .order_by("start_date", "new_hire__name", "pk")
    )
    return [
        PlanFigures(plan=plan, today=today, first_pairing_days=_first_pairing(plan, holidays))
        for plan in plans
    ]


def _first_pairing(plan: OnboardingPlan, holidays: set[dt.date]) -> int | None:
    if plan.first_pairing_done_at is None:
        return None
    done_on = plan.first_pairing_done_at.astimezone(zone_of(plan.timezone)).date()
    # A pairing confirmed before the start date counts as done on day one:
    # "-2 working days to first pairing" would be no truth anyone can use.
    return max(working_days_between(plan.start_date, done_on, holidays), 0)


# --- cohorts ------------------------------------------------------------------------


@dataclass
class Cohort:
    """The plans of new hires who started in one month."""

    month: dt.date
    plans: int = 0
    due_by: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MILESTONES, 0))
    done_by: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MILESTONES, 0))
    pairing_days: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")

    def completion(self, n: int) -> float | None:
        return 100 * self.done_by[n] / self.due_by[n] if self.due_by[n] else None

    @property
    def completions(self) -> list[tuple[int, int, int, float | None]]:
        """(day, done, due, share) for each milestone, for the table."""
        return [(n, self.done_by[n], self.due_by[n], self.completion(n)) for n in MILESTONES]

    @property
    def pairing_median(self) -> float | None:
        return statistics.median(self.pairing_days) if self.pairing_days else None

    @property
    def pairing_p90(self) -> int | None:
        return percentile(self.pairing_days, 90)

    @property
    def without_pairing(self) -> int:
        return self.plans - len(self.pairing_days)


def percentile(values: list[int], p: int) -> int | None:
    """Nearest rank: the smallest value with at least p% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def cohorts(figures: list[PlanFigures]) -> list[Cohort]:
    """Start-month cohorts, oldest first. A plan counts towards day n only
    once it has reached day n, so young plans do not drag the share down."""
    by_month: dict[dt.date, Cohort] = {}
    for row in figures:
        cohort = by_month.setdefault(row.cohort, Cohort(month=row.cohort))
        cohort.plans += 1
        for n in MILESTONES:
            if row.reached(n):
                cohort.due_by[n] += row.due_by(n)
                cohort.done_by[n] += row.done_by(n)
        if row.first_pairing_days is not None:
            cohort.pairing_days.append(row.first_pairing_days)
    return [by_month[month] for month in sorted(by_month)]


# --- overdue tasks and buddies -----------------------------------------------------


def _overdue_tasks(today: dt.date):
    return PlanTask.objects.filter(
        status=OPEN, due_on__lt=today, plan__new_hire__is_active=True, plan__status=PLAN_ACTIVE
    )


def overdue_by_role(*, today: dt.date) -> list[tuple[str, int]]:
    """(role label, open tasks past their due date) for every role: 1 query."""
    counts = dict(
        _overdue_tasks(today)
        .order_by()
        .values("assignee_role")
        .annotate(n=Count("id"))
        .values_list("assignee_role", "n")
    )
    return [(role.label, counts.get(role.value, 0)) for role in AssigneeRole]


@dataclass
class OverdueHolder:
    person: User | None  # None: nobody holds the tasks yet
    overdue: int
    oldest_due: dt.date

    @property
    def name(self) -> str:
        return str(self.person) if self.person else "Nobody yet (people team queue)"


def overdue_by_person(*, today: dt.date) -> list[OverdueHolder]:
    """Everyone holding overdue tasks, most first: 2 queries."""
    rows = list(
        _overdue_tasks(today)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id"), oldest=Min("due_on"))
    )
    people = User.objects.in_bulk([r["assignee_id"] for r in rows if r["assignee_id"]])
    holders = [
        OverdueHolder(people.get(r["assignee_id"]), r["n"], r["oldest"])
        for r in rows
        if r["assignee_id"] is None or r["assignee_id"] in people
    ]
    return sorted(holders, key=lambda h: (-h.overdue, h.name))


@dataclass
class BuddyLoad:
    buddy: User
    new_hires: int


def buddy_load(*, today: dt.date) -> tuple[list[BuddyLoad], int]:
    """Buddies with their current new hires (as the buddy choice counts them),
    most loaded first, and the cap: 2 queries."""
    loads = buddy_loads(today=today)
    people = User.objects.in_bulk(list(loads))
    rows = [BuddyLoad(people[pk], n) for pk, n in loads.items() if pk in people]
    return sorted(rows, key=lambda r: (-r.new_hires, r.buddy.name)), buddy_cap()
