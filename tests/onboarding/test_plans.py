"""Plans: composed from the templates whose rules take the new hire in, with
due dates in working days from their start date, kept as a snapshot until
the people team re-syncs them, and created when a person is added."""

import contextlib
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.celery_app import app
from core.models import Job
from onboarding.models import (
    AssigneeRole,
    ChecklistTemplate,
    Holiday,
    Kind,
    OnboardingPlan,
    PlanTask,
)
from onboarding.services.plans import (
    PlanChange,
    plan_assign_role,
    plan_create,
    plan_sync,
    plan_sync_preview,
    plan_task_add,
    plan_task_reassign,
    plan_task_remove,
    plans_create,
    plans_create_missing,
)
from onboarding.tasks import plans_create_task
from people.errors import ApplicationError
from people.imports import import_people
from people.services.lifecycle import person_create
from tests.ladders.factories import LevelFactory, PlacementFactory
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.people.factories import TeamFactory, UserFactory, admin_add_form

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)
EVERYONE = ChecklistTemplate.AppliesTo.EVERYONE


def titles(plan) -> list[str]:
    return [t.title for t in plan.tasks.order_by("due_on", "position")]


def due_dates(plan) -> dict[str, date]:
    return dict(plan.tasks.values_list("title", "due_on"))


@pytest.fixture
def base():
    template = ChecklistTemplateFactory(name="Base", applies_to=EVERYONE, position=0)
    TemplateItemFactory(template=template, title="Laptop ready", due_offset=-1)
    TemplateItemFactory(template=template, title="Read the product tour", due_offset=0)
    return template


@pytest.fixture
def new_hire(org):
    return UserFactory(name="Nia New", team=org.payments, manager=org.manager, start_date=MONDAY)


# --- Composition by rules ------------------------------------------------------------


def test_it_composes_a_plan_from_the_base_the_team_and_the_level_templates(org, base, new_hire):
    team = ChecklistTemplateFactory(name="Payments", applies_to="team", team=org.payments)
    TemplateItemFactory(template=team, title="Payments architecture walk-through", due_offset=2)
    level = ChecklistTemplateFactory(name="Senior", applies_to="level", level_code="L3")
    TemplateItemFactory(template=level, title="Shadow an on-call shift", due_offset=10)
    track = ChecklistTemplateFactory(name="IC track", applies_to="track", track="ic")
    TemplateItemFactory(template=track, title="Pick a first bug", due_offset=3)
    other_team = ChecklistTemplateFactory(name="Search", applies_to="team", team=org.search)
    TemplateItemFactory(template=other_team, title="Search relevance basics")
    other_level = ChecklistTemplateFactory(name="Junior", applies_to="level", level_code="L1")
    TemplateItemFactory(template=other_level, title="Intro to code review")
    PlacementFactory(person=new_hire, level=LevelFactory(code="L3", track="ic"))

    plan = plan_create(person=new_hire)

    assert sorted(plan.templates) == ["Base", "IC track", "Payments", "Senior"]
    assert titles(plan) == [
        "Laptop ready",
        "Read the product tour",
        "Payments architecture walk-through",
        "Pick a first bug",
        "Shadow an on-call shift",
    ]


def test_it_applies_a_parent_teams_template_to_the_members_of_its_sub_teams(org, base):
    engineering = TeamFactory(name="Engineering")
    org.payments.parent = engineering
    org.payments.save()
    template = ChecklistTemplateFactory(name="Engineering", applies_to="team", team=engineering)
    TemplateItemFactory(template=template, title="Engineering handbook")
    payments_hire = UserFactory(team=org.payments, start_date=MONDAY)
    outside = UserFactory(team=org.search, start_date=MONDAY)

    assert "Engineering handbook" in titles(plan_create(person=payments_hire))
    assert "Engineering handbook" not in titles(plan_create(person=outside))


def test_it_leaves_out_inactive_templates_and_level_rules_without_a_placement(org, base, new_hire):
    retired = ChecklistTemplateFactory(name="Old base", applies_to=EVERYONE, is_active=False)
    TemplateItemFactory(template=retired, title="Fax the contract")
    level = ChecklistTemplateFactory(name="Senior", applies_to="level", level_code="L3")
    TemplateItemFactory(template=level, title="Shadow an on-call shift")

    plan = plan_create(person=new_hire)

    assert plan.templates == ["Base"]
    assert titles(plan) == ["Laptop ready", "Read the product tour"]


def test_it_gives_each_task_to_the_person_its_role_names(org, new_hire):
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    for role in AssigneeRole.values:
        TemplateItemFactory(template=template, title=role, assignee_role=role)

    plan = plan_create(person=new_hire)

    assignees = dict(plan.tasks.values_list("title", "assignee"))
    assert assignees == {
        "new_hire": new_hire.pk,
        "manager": org.manager.pk,
        "buddy": None,  # until a buddy is chosen
        "people_team": None,  # the people team's shared queue
    }


def test_it_copies_what_each_item_says_into_the_task(new_hire):
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    TemplateItemFactory(
        template=template,
        title="Pair on a first fix",
        description="See https://wiki.example.com/first-fix",
        kind=Kind.PAIRING,
        assignee_role=AssigneeRole.NEW_HIRE,
        due_offset=4,
        competency_code="code",
    )

    task = plan_create(person=new_hire).tasks.get()

    assert (task.description, task.kind, task.due_offset, task.competency_code) == (
        "See https://wiki.example.com/first-fix",
        Kind.PAIRING,
        4,
        "code",
    )
    assert task.status == PlanTask.Status.OPEN


# --- Due dates -------------------------------------------------------------------------


def test_it_dates_tasks_in_working_days_over_weekends_holidays_and_before_day_one(db):
    Holiday.objects.create(date=date(2026, 12, 24), name="Christmas Eve")
    Holiday.objects.create(date=date(2026, 12, 25), name="Christmas Day")
    Holiday.objects.create(date=date(2027, 1, 1), name="New Year's Day")
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    for title, offset in [("before", -1), ("day one", 0), ("day two", 1), ("week two", 5)]:
        TemplateItemFactory(template=template, title=title, due_offset=offset)
    hire = UserFactory(start_date=date(2026, 12, 23))  # a Wednesday before Christmas

    plan = plan_create(person=hire)

    assert due_dates(plan) == {
        "before": date(2026, 12, 22),
        "day one": date(2026, 12, 23),
        "day two": date(2026, 12, 28),  # not Christmas Eve, Christmas or the weekend
        "week two": date(2027, 1, 4),  # not New Year's Day either
    }


def test_it_starts_counting_on_the_next_working_day_for_a_weekend_start(db):
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    TemplateItemFactory(template=template, title="before", due_offset=-1)
    TemplateItemFactory(template=template, title="day one", due_offset=0)
    hire = UserFactory(start_date=date(2026, 11, 29))  # a Sunday

    assert due_dates(plan_create(person=hire)) == {
        "before": date(2026, 11, 27),
        "day one": MONDAY,
    }


def test_it_gives_new_hires_in_tokyo_and_los_angeles_the_same_calendar_due_dates(base):
    """Due dates are dates in the new hire's own zone: both start on their own
    Monday, so both have the same dates; the plan keeps each one's zone."""
    tokyo = UserFactory(start_date=MONDAY, timezone="Asia/Tokyo")
    los_angeles = UserFactory(start_date=MONDAY, timezone="America/Los_Angeles")

    tokyo_plan, la_plan = plan_create(person=tokyo), plan_create(person=los_angeles)

    assert (
        due_dates(tokyo_plan)
        == due_dates(la_plan)
        == {
            "Laptop ready": date(2026, 11, 27),
            "Read the product tour": MONDAY,
        }
    )
    assert (tokyo_plan.timezone, la_plan.timezone) == ("Asia/Tokyo", "America/Los_Angeles")
    assert tokyo_plan.start_date == la_plan.start_date == MONDAY


# --- The snapshot and re-sync ------------------------------------------------------------


def test_it_keeps_the_plan_as_it_was_when_the_templates_change(base, new_hire):
    plan = plan_create(person=new_hire)
    before = due_dates(plan)
    tour = base.items.get(title="Read the product tour")
    tour.title, tour.due_offset = "Read the new product tour", 3
    tour.save()
    base.items.get(title="Laptop ready").delete()
    TemplateItemFactory(template=base, title="Meet the CEO", due_offset=2)

    assert due_dates(plan) == before


def test_it_shows_what_a_re_sync_would_add_remove_and_change(base, new_hire):
    plan = plan_create(person=new_hire)
    tour = base.items.get(title="Read the product tour")
    tour.title, tour.due_offset = "Read the new product tour", 2
    tour.save()
    base.items.get(title="Laptop ready").delete()
    TemplateItemFactory(template=base, title="Meet the CEO", due_offset=1)

    changes = {c.action: c for c in plan_sync_preview(plan=plan)}

    assert set(changes) == {PlanChange.ADD, PlanChange.REMOVE, PlanChange.CHANGE}
    assert str(changes["add"]) == 'Add "Meet the CEO", due Tue 1 Dec 2026'
    assert str(changes["remove"]) == 'Remove "Laptop ready" (no longer in the templates)'
    assert str(changes["change"]) == (
        'Change "Read the product tour": title: Read the product tour → Read the new '
        "product tour; due offset (working days): 0 → 2; due date: Mon 30 Nov 2026 → Wed 2 Dec "
        "2026"
    )
    assert due_dates(plan)["Laptop ready"] == date(2026, 11, 27)  # a preview changes nothing


def test_it_applies_the_re_sync_and_then_has_nothing_left_to_change(org, base, new_hire):
    plan = plan_create(person=new_hire)
    tour = base.items.get(title="Read the product tour")
    tour.title, tour.due_offset = "Read the new product tour", 2
    tour.save()
    base.items.get(title="Laptop ready").delete()
    TemplateItemFactory(template=base, title="Meet the CEO", due_offset=1)

    applied = plan_sync(plan=plan, by=org.hr)

    assert len(applied) == 3
    assert due_dates(plan) == {
        "Read the new product tour": date(2026, 12, 2),
        "Meet the CEO": date(2026, 12, 1),
    }
    assert plan_sync_preview(plan=plan) == []
    plan.refresh_from_db()
    assert plan.synced_at is not None
    assert plan.history.latest().history_user == org.hr


def test_it_never_changes_or_removes_completed_tasks_on_re_sync(base, new_hire):
    plan = plan_create(person=new_hire)
    plan.tasks.update(status=PlanTask.Status.DONE)
    tour = base.items.get(title="Read the product tour")
    tour.title = "Read the new product tour"
    tour.save()
    base.items.get(title="Laptop ready").delete()

    assert plan_sync_preview(plan=plan) == []
    plan_sync(plan=plan, by=None)
    assert titles(plan) == ["Laptop ready", "Read the product tour"]


def test_it_keeps_tasks_the_people_team_added_by_hand_on_re_sync(org, base, new_hire):
    plan = plan_create(person=new_hire)
    plan_task_add(plan=plan, title="Visit the Lisbon office", due_on=date(2026, 12, 9), by=org.hr)

    assert plan_sync_preview(plan=plan) == []
    plan_sync(plan=plan, by=org.hr)
    assert "Visit the Lisbon office" in titles(plan)


def test_it_re_syncs_when_the_new_hire_moved_team(org, base, new_hire):
    payments = ChecklistTemplateFactory(name="Payments", applies_to="team", team=org.payments)
    TemplateItemFactory(template=payments, title="Payments walk-through")
    search = ChecklistTemplateFactory(name="Search", applies_to="team", team=org.search)
    TemplateItemFactory(template=search, title="Search walk-through")
    plan = plan_create(person=new_hire)
    new_hire.team = org.search
    new_hire.save()

    plan_sync(plan=plan, by=org.hr)

    plan.refresh_from_db()
    assert "Search walk-through" in titles(plan) and "Payments walk-through" not in titles(plan)
    assert sorted(plan.templates) == ["Base", "Search"]


# --- Queries and volume --------------------------------------------------------------------


def plan_queries(items: int) -> int:
    ChecklistTemplate.objects.all().delete()
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    roles = AssigneeRole.values
    TemplateItemFactory.create_batch(
        items, template=template, assignee_role=factory_cycle(roles), due_offset=7
    )
    hire = UserFactory(start_date=MONDAY)
    with CaptureQueriesContext(connection) as queries:
        plan = plan_create(person=hire)
    assert plan.tasks.count() == items
    assert PlanTask.history.filter(plan_id=plan.pk, history_type="+").count() == items
    return len(queries)


def factory_cycle(values):
    import factory

    return factory.Iterator(values)


def test_it_creates_a_plan_in_the_same_number_of_queries_for_5_and_50_items(db):
    assert plan_queries(5) == plan_queries(50)


def test_it_creates_plans_for_many_new_hires_in_a_fixed_number_of_queries(base):
    """Only the INSERT of the tasks may take more than one query: SQLite caps a
    query at 999 parameters, about 50 tasks (PostgreSQL takes 1,000 at a time)."""
    task_insert = f'INSERT INTO "{PlanTask._meta.db_table}"'

    def queries_for(count: int) -> tuple[int, int]:
        people = UserFactory.create_batch(count, start_date=MONDAY)
        with CaptureQueriesContext(connection) as queries:
            created = plans_create(people=people)
        assert len(created) == count
        inserts = [q for q in queries if q["sql"].startswith(task_insert)]
        return len(queries) - len(inserts), len(inserts)

    (few, few_inserts), (many, many_inserts) = queries_for(3), queries_for(30)
    assert few == many
    assert few_inserts == 1 and many_inserts <= 2
    assert PlanTask.objects.count() == 33 * 2


def test_it_gives_a_person_who_has_a_plan_no_second_one(base, new_hire):
    first = plan_create(person=new_hire)
    base.items.create(title="Added later", due_offset=1)

    assert plan_create(person=new_hire) == first
    assert plans_create(people=[new_hire]) == []
    twice = UserFactory(start_date=MONDAY)
    assert len(plans_create(people=[twice, twice])) == 1
    assert OnboardingPlan.objects.filter(new_hire=new_hire).count() == 1
    assert titles(first) == ["Laptop ready", "Read the product tour"]


def test_it_refuses_a_plan_without_a_start_date(base):
    person = UserFactory(start_date=None)
    with pytest.raises(ApplicationError, match="no start date"):
        plan_create(person=person)
    assert plans_create(people=[person]) == []


def test_it_sweeps_up_new_hires_who_have_no_plan(base):
    today = date(2026, 11, 24)
    future = UserFactory(start_date=date(2027, 1, 4))
    recent = UserFactory(start_date=date(2026, 9, 1))
    long_ago = UserFactory(start_date=date(2019, 3, 1))
    left = UserFactory(start_date=date(2026, 12, 1), is_active=False)
    no_date = UserFactory(start_date=None)
    already = UserFactory(start_date=date(2026, 12, 1))
    plan_create(person=already)

    created = plans_create_missing(today=today)

    assert {p.new_hire for p in created} == {future, recent}
    assert not OnboardingPlan.objects.filter(new_hire__in=[long_ago, left, no_date]).exists()
    assert plans_create_missing(today=today) == []


def test_plans_made_by_the_sweep_or_the_admin_ask_for_their_buddies_together(base):
    # The plan services, not the tasks, decide that new plans get buddies: the
    # admin's "create missing" button used to leave them to the nightly sweep.
    first = UserFactory(start_date=date(2027, 1, 4))
    second = UserFactory(start_date=date(2027, 1, 4))

    created = plans_create_missing(today=date(2026, 11, 24))

    [job] = Job.objects.filter(task="onboarding.tasks.buddies_choose_task")
    assert sorted(job.args[0]) == sorted(plan.pk for plan in created)
    assert {plan.new_hire for plan in created} == {first, second}
    plans_create_missing(today=date(2026, 11, 24))  # nothing new: no second job
    assert Job.objects.filter(task="onboarding.tasks.buddies_choose_task").count() == 1


# --- The people team's edits to one plan ---------------------------------------------------


def test_it_gives_the_buddy_their_open_tasks_once_chosen_and_leaves_done_ones(org, new_hire):
    template = ChecklistTemplateFactory(applies_to=EVERYONE)
    TemplateItemFactory(template=template, title="Coffee with your buddy", assignee_role="buddy")
    TemplateItemFactory(template=template, title="Buddy code tour", assignee_role="buddy")
    TemplateItemFactory(template=template, title="Set up laptop", assignee_role="new_hire")
    plan = plan_create(person=new_hire)
    done = plan.tasks.get(title="Buddy code tour")
    done.status, done.assignee = PlanTask.Status.DONE, org.other_manager
    done.save()

    assert plan_assign_role(plan=plan, role=AssigneeRole.BUDDY, person=org.engineer) == 1

    assignees = dict(plan.tasks.values_list("title", "assignee"))
    assert assignees == {
        "Coffee with your buddy": org.engineer.pk,
        "Buddy code tour": org.other_manager.pk,
        "Set up laptop": new_hire.pk,
    }


def test_it_adds_a_task_to_one_plan_with_its_offset_and_role(org, base, new_hire):
    plan = plan_create(person=new_hire)

    task = plan_task_add(
        plan=plan,
        title="Meet the security team",
        due_on=date(2026, 12, 7),
        assignee_role=AssigneeRole.MANAGER,
        kind=Kind.MEETING,
        by=org.hr,
    )

    assert (task.due_offset, task.assignee, task.source_item) == (5, org.manager, None)
    assert task.history.get().history_user == org.hr
    assert "Meet the security team" in titles(plan)


def test_it_reassigns_and_removes_open_tasks_but_not_done_ones(org, base, new_hire):
    plan = plan_create(person=new_hire)
    laptop, tour = plan.tasks.order_by("due_on")

    plan_task_reassign(task=laptop, assignee=org.hr, by=org.hr)
    plan_task_remove(task=tour, by=org.hr)

    assert dict(plan.tasks.values_list("title", "assignee")) == {"Laptop ready": org.hr.pk}
    plan.tasks.update(status=PlanTask.Status.DONE)  # done by HR meanwhile
    with pytest.raises(ApplicationError, match="completed tasks stay"):
        plan_task_reassign(task=laptop, assignee=org.manager)
    with pytest.raises(ApplicationError, match="completed tasks stay"):
        plan_task_remove(task=laptop)
    assert plan.tasks.get().assignee == org.hr


# --- The people hook: a person added gets a plan -------------------------------------------


@pytest.fixture
def eager(settings):
    """A few unit tests only (DESIGN "Celery"): the task runs in the test's thread."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # A value set on Celery's own config by another test would shadow Django's.
    with contextlib.suppress(KeyError):
        del app.conf["task_always_eager"]


@time_machine.travel("2026-11-20 09:00Z")
def test_it_creates_one_plan_when_the_plan_task_runs_twice(base, new_hire):
    assert plans_create_task(person_ids=[new_hire.pk]) == 1
    assert plans_create_task(person_ids=[new_hire.pk]) == 0
    assert OnboardingPlan.objects.filter(new_hire=new_hire).count() == 1
    assert new_hire.onboarding_plan.tasks.count() == 2


@time_machine.travel("2026-11-20 09:00Z")
def test_it_creates_a_plan_when_a_person_is_created_through_the_service(
    org, base, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hire = person_create(email="nia@example.com", name="Nia New", start_date=MONDAY)
        assert not OnboardingPlan.objects.exists()  # not before the commit

    # the people hook, choosing the new plan's buddy, then inviting to its sessions
    assert len(callbacks) == 3
    assert titles(hire.onboarding_plan) == ["Laptop ready", "Read the product tour"]
    assert hire.onboarding_plan.buddy_status != OnboardingPlan.BuddyStatus.PENDING


@time_machine.travel("2026-11-20 09:00Z")
def test_it_creates_plans_for_the_new_hires_of_a_people_import(
    org, base, eager, django_capture_on_commit_callbacks
):
    csv = (
        "email,name,title,team,manager_email,start_date,timezone\n"
        "new.one@example.com,New One,Engineer,Payments,manager@example.com,2026-11-30,Asia/Tokyo\n"
        "new.two@example.com,New Two,Engineer,Search,,2026-12-07,\n"
        "veteran@example.com,Old Hand,Engineer,Search,,2015-06-01,\n"
        "no.date@example.com,No Date,Engineer,Search,,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_people(csv)

    planned = OnboardingPlan.objects.values_list("new_hire__email", "timezone")
    assert sorted(planned) == [
        ("new.one@example.com", "Asia/Tokyo"),
        ("new.two@example.com", "UTC"),
    ]


def test_it_creates_no_plan_for_a_dry_run_import(
    org, base, eager, django_capture_on_commit_callbacks
):
    csv = (
        "email,name,title,team,manager_email,start_date,timezone\nx@example.com,X,,,,2026-11-30,\n"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_people(csv, dry_run=True)
    assert callbacks == [] and not OnboardingPlan.objects.exists()


@time_machine.travel("2026-11-20 09:00Z")
def test_it_creates_a_plan_when_the_people_team_adds_a_person_in_the_admin(
    client, org, base, eager, django_capture_on_commit_callbacks
):
    client.force_login(org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:people_user_add"), admin_add_form(org))
    assert response.status_code == 302
    plan = OnboardingPlan.objects.get(new_hire__email="added@example.com")
    assert (plan.start_date, plan.timezone) == (date(2026, 12, 1), "Europe/Berlin")


@time_machine.travel("2026-11-20 09:00Z")
def test_it_creates_no_plan_when_the_people_team_edits_a_person(
    client, org, base, eager, django_capture_on_commit_callbacks
):
    org.engineer.start_date = MONDAY
    org.engineer.save()
    client.force_login(org.hr)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("admin:people_user_change", args=[org.engineer.pk]), {})
    assert callbacks == [] and not OnboardingPlan.objects.exists()
