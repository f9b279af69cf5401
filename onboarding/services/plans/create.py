"""Plan creation: one new hire or a thousand in a fixed number of queries,
idempotent, and started by the people hook or the daily sweep."""

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone

from core.jobs import job_enqueue
from people.errors import ApplicationError
from people.history import history_record_created
from people.models import User

from ...models import OnboardingPlan, PlanTask
from .compose import (
    Catalogue,
    DueDates,
    catalogue_load,
    composed_items,
    task_from_item,
    templates_by_person,
)

# People whose start date is older than this are colleagues, not new hires:
# importing the whole organisation must not give everyone a plan.
PLAN_WINDOW = timedelta(days=90)
# People per round of plan creation: keeps every "IN (...)" list well inside
# SQLite's parameter limit and each INSERT a sensible size.
PEOPLE_PER_ROUND = 500
TASKS_PER_INSERT = 1000
CREATED_REASON = "onboarding plan created"


@transaction.atomic
def plan_create(*, person: User, by: User | None = None) -> OnboardingPlan:
    """The person's plan: created now, or the one they already have."""
    if person.start_date is None:
        raise ApplicationError(
            f"{person} has no start date: set it first, the due dates count from it.",
            field="start_date",
        )
    created = plans_create(people=[person], by=by)
    return created[0] if created else OnboardingPlan.objects.get(new_hire=person)


@transaction.atomic
def plans_create(*, people: Iterable[User], by: User | None = None) -> list[OnboardingPlan]:
    """A plan for each person with a start date and no plan yet; the others are
    left alone, so running it twice creates nothing the second time.

    A fixed number of queries per round of PEOPLE_PER_ROUND people, however
    many items their plans have (plus one INSERT per TASKS_PER_INSERT tasks).
    """
    candidates = list({p.pk: p for p in people if p.start_date is not None}.values())
    created: list[OnboardingPlan] = []
    catalogue = None
    for start in range(0, len(candidates), PEOPLE_PER_ROUND):
        round_people = _without_plan(candidates[start : start + PEOPLE_PER_ROUND])
        if round_people:
            catalogue = catalogue or catalogue_load()
            created += _create_round(round_people, catalogue, by)
    return created


def _without_plan(people: list[User]) -> list[User]:
    ids = [p.pk for p in people]
    # Lock the people first, so that two workers given the same person wait for
    # each other and the second one sees the plan (race condition otherwise:
    # both see none and both insert).
    locked = User.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    list(locked.values_list("pk", flat=True))
    taken = set(
        OnboardingPlan.objects.filter(new_hire_id__in=ids).values_list("new_hire_id", flat=True)
    )
    return [p for p in people if p.pk not in taken]


def _create_round(people: list[User], catalogue: Catalogue, by) -> list[OnboardingPlan]:
    templates_of = templates_by_person(people, catalogue)
    plans = [
        OnboardingPlan(
            new_hire=p,
            start_date=p.start_date,
            timezone=p.timezone,
            templates=[t.name for t in templates_of[p.pk]],
        )
        for p in people
        if p.start_date is not None  # always: the candidates have one
    ]
    OnboardingPlan.objects.bulk_create(plans)
    plan_ids = [plan.pk for plan in plans]
    history_record_created(
        rows=OnboardingPlan.objects.filter(pk__in=plan_ids), by=by, reason=CREATED_REASON
    )
    due = DueDates(catalogue.holidays)
    tasks = [
        task_from_item(
            item,
            plan=plan,
            person=plan.new_hire,
            due_on=due(plan.start_date, item.due_offset),
            position=position,
        )
        for plan in plans
        for position, item in enumerate(composed_items(templates_of[plan.new_hire_id]))
    ]
    PlanTask.objects.bulk_create(tasks, batch_size=TASKS_PER_INSERT)
    history_record_created(
        rows=PlanTask.objects.filter(plan_id__in=plan_ids), by=by, reason=CREATED_REASON
    )
    return plans


def _in_chunks(values: Iterable[int], size: int):
    values = iter(values)
    while chunk := list(islice(values, size)):
        yield chunk


def new_hires_without_plan(*, today: date):
    """Active people starting on or after 90 days before today, with no plan."""
    return User.objects.filter(
        is_active=True, start_date__gte=today - PLAN_WINDOW, onboarding_plan__isnull=True
    ).order_by("pk")


def plans_create_for(*, person_ids: Iterable[int], today: date | None = None):
    """Plans for those of these people who are new hires (see PLAN_WINDOW) and
    have none: what the people hook's task runs."""
    today = today or timezone.localdate()
    created: list[OnboardingPlan] = []
    for chunk in _in_chunks(person_ids, PEOPLE_PER_ROUND):
        created += plans_create(people=new_hires_without_plan(today=today).filter(pk__in=chunk))
    buddies_choose_later(created)
    return created


def plans_create_missing(*, today: date, by: User | None = None) -> list[OnboardingPlan]:
    """The daily safety sweep: a plan for every new hire who still has none
    (a start date set after the person was added, a lost task)."""
    created = plans_create(people=new_hires_without_plan(today=today), by=by)
    buddies_choose_later(created)
    return created


def buddies_choose_later(plans: list[OnboardingPlan]) -> None:
    """New plans get their buddies chosen together (a week's new hires weigh
    each other's load), by a worker once the plans are committed."""
    if plans:
        job_enqueue("onboarding.tasks.buddies_choose_task", [plan.pk for plan in plans])


def plans_create_later(person_ids: list[int]) -> None:
    """The handler people/hooks.py calls once people are added and committed:
    a worker creates their plans."""
    job_enqueue("onboarding.tasks.plans_create_task", list(person_ids))
