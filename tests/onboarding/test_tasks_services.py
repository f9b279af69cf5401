"""Doing the checklist: plain tasks completed and undone by the right people,
pairing tasks confirmed by both sides with a line each, and the time to the
first pairing recorded once."""

import datetime as dt

import pytest
import time_machine

from onboarding.models import AssigneeRole, Kind, PlanTask
from onboarding.services.checklist import (
    pairing_confirm,
    pairing_partner_set,
    task_complete,
    task_undo,
)
from people.errors import ApplicationError
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory, plan_with_buddy
from tests.people.factories import UserFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 30)  # a Monday
DONE, OPEN = PlanTask.Status.DONE, PlanTask.Status.OPEN


def moment(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def plan(org, buddy):
    return plan_with_buddy(org.engineer, buddy, start=START)


def pairing(plan, **fields) -> PlanTask:
    return PlanTaskFactory(plan=plan, kind=Kind.PAIRING, title="Fix a bug together", **fields)


def fresh(task: PlanTask) -> PlanTask:
    return PlanTask.objects.get(pk=task.pk)


# --- pairing tasks -------------------------------------------------------------------


def test_a_pairing_task_opens_on_the_new_hires_start_date(org, plan, buddy):
    task = pairing(plan)
    the_friday_before = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)

    with time_machine.travel(the_friday_before, tick=False):
        for person in (org.engineer, buddy):
            with pytest.raises(ApplicationError) as refused:
                pairing_confirm(task=task, person=person, note="We paired early")
            assert refused.value.message == (
                "Pairing tasks open on Eli Novak's start date, Monday 30 November 2026: "
                "confirm this one from then."
            )

    task = fresh(task)
    assert (task.new_hire_done_at, task.partner_done_at, task.status) == (None, None, OPEN)
    with time_machine.travel(moment(1), tick=False):  # on 1 December, it is open
        pairing_confirm(task=task, person=org.engineer, note="Paired on a first bug")


def test_it_completes_a_pairing_task_only_when_both_sides_have_confirmed(org, plan, buddy):
    task = pairing(plan)
    pairing_confirm(task=task, person=org.engineer, note="Learned how deploys work")
    assert fresh(task).status == OPEN

    pairing_confirm(task=task, person=buddy, note="Walked through the deploy pipeline")

    task = fresh(task)
    assert task.status == DONE
    assert task.done_at is not None
    assert task.new_hire_note == "Learned how deploys work"
    assert task.partner_note == "Walked through the deploy pipeline"
    assert task.partner == buddy  # the buddy is recorded as the partner who paired


def test_it_wants_a_line_about_what_was_done(org, plan):
    task = pairing(plan)
    with pytest.raises(ApplicationError) as error:
        pairing_confirm(task=task, person=org.engineer, note="   ")
    assert error.value.field == "note"
    assert fresh(task).new_hire_done_at is None


def test_it_refuses_a_confirmation_from_anyone_but_the_two_sides(org, plan):
    task = pairing(plan)
    for outsider in (org.manager, org.peer, org.hr):
        with pytest.raises(ApplicationError, match="Only the new hire and their pairing partner"):
            pairing_confirm(task=task, person=outsider, note="I was there")
    assert fresh(task).partner_done_at is None


def test_it_refuses_to_confirm_the_same_side_twice(org, plan):
    task = pairing(plan)
    pairing_confirm(task=task, person=org.engineer, note="Once")
    with pytest.raises(ApplicationError, match="already confirmed"):
        pairing_confirm(task=task, person=org.engineer, note="Twice")
    assert fresh(task).new_hire_note == "Once"


def test_it_lets_a_partner_named_by_the_people_team_confirm_instead_of_the_buddy(org, plan, buddy):
    task = pairing(plan)
    pairing_partner_set(task=task, partner=org.peer, by=org.hr)

    with pytest.raises(ApplicationError):
        pairing_confirm(task=task, person=buddy, note="Not my pairing any more")
    pairing_confirm(task=task, person=org.peer, note="Paired on search ranking")
    pairing_confirm(task=task, person=org.engineer, note="Learned the ranking code")

    task = fresh(task)
    assert task.status == DONE
    assert (task.partner, task.partner_note) == (org.peer, "Paired on search ranking")


def test_it_lets_only_the_people_team_name_a_partner(org, plan):
    task = pairing(plan)
    for someone in (org.manager, org.engineer):
        with pytest.raises(ApplicationError, match="Only the people team"):
            pairing_partner_set(task=task, partner=org.peer, by=someone)
    with pytest.raises(ApplicationError, match="cannot pair with themselves"):
        pairing_partner_set(task=task, partner=org.engineer, by=org.hr)
    assert fresh(task).partner is None


def test_it_records_the_time_of_the_first_pairing_once(org, plan, buddy):
    first, second = pairing(plan), pairing(plan)
    with time_machine.travel(moment(2), tick=False):
        pairing_confirm(task=first, person=org.engineer, note="a")
        pairing_confirm(task=first, person=buddy, note="b")
    with time_machine.travel(moment(9), tick=False):
        pairing_confirm(task=second, person=org.engineer, note="c")
        pairing_confirm(task=second, person=buddy, note="d")

    plan.refresh_from_db()
    assert plan.first_pairing_done_at == moment(2)


def test_it_does_not_record_a_first_pairing_until_both_sides_confirmed(org, plan):
    task = pairing(plan)
    pairing_confirm(task=task, person=org.engineer, note="Waiting for my buddy")
    plan.refresh_from_db()
    assert plan.first_pairing_done_at is None


def test_it_takes_back_only_ones_own_pairing_confirmation(org, plan, buddy):
    task = pairing(plan)
    pairing_confirm(task=task, person=org.engineer, note="a")
    pairing_confirm(task=task, person=buddy, note="b")

    for other in (org.hr, org.manager):
        with pytest.raises(ApplicationError, match="Only the person who confirmed"):
            task_undo(task=task, by=other)
    task_undo(task=task, by=buddy)

    task = fresh(task)
    assert task.status == OPEN
    assert (task.partner_done_at, task.partner_note) == (None, "")
    assert task.new_hire_note == "a"  # the new hire's side stays


def test_it_moves_the_first_pairing_time_when_that_pairing_is_taken_back(org, plan, buddy):
    first, second = pairing(plan), pairing(plan)
    for day, task in ((2, first), (9, second)):
        with time_machine.travel(moment(day), tick=False):
            pairing_confirm(task=task, person=org.engineer, note="x")
            pairing_confirm(task=task, person=buddy, note="y")

    task_undo(task=first, by=org.engineer)
    plan.refresh_from_db()
    assert plan.first_pairing_done_at == moment(9)

    task_undo(task=second, by=buddy)
    plan.refresh_from_db()
    assert plan.first_pairing_done_at is None


def test_it_does_not_complete_a_pairing_task_as_a_plain_one(org, plan):
    task = pairing(plan)
    with pytest.raises(ApplicationError, match="both confirmed"):
        task_complete(task=task, by=org.engineer)
    assert fresh(task).status == OPEN


# --- plain tasks: who may complete --------------------------------------------------------


def test_it_lets_the_new_hire_complete_their_own_task(org, plan):
    task = PlanTaskFactory(plan=plan, title="Set up your laptop")
    task_complete(task=task, by=org.engineer)
    task = fresh(task)
    assert (task.status, task.done_by) == (DONE, org.engineer)


def test_it_lets_the_assignee_complete_a_task_of_another_role(org, plan, buddy):
    task = PlanTaskFactory(plan=plan, assignee_role=AssigneeRole.BUDDY, assignee=buddy)
    task_complete(task=task, by=buddy)
    assert fresh(task).done_by == buddy


def test_it_lets_the_people_team_complete_any_task_including_their_shared_ones(org, plan):
    shared = PlanTaskFactory(plan=plan, assignee_role=AssigneeRole.PEOPLE_TEAM, assignee=None)
    hires = PlanTaskFactory(plan=plan)
    task_complete(task=shared, by=org.hr)
    task_complete(task=hires, by=org.hr)
    assert {fresh(shared).status, fresh(hires).status} == {DONE}


@pytest.mark.parametrize("who", ["manager", "director", "peer", "buddy"])
def test_it_refuses_a_task_completed_by_someone_it_is_not_for(org, plan, buddy, who):
    person = buddy if who == "buddy" else getattr(org, who)
    task = PlanTaskFactory(plan=plan, title="Read the product handbook")
    with pytest.raises(ApplicationError, match="not yours to complete"):
        task_complete(task=task, by=person)
    assert fresh(task).status == OPEN


def test_it_refuses_the_new_hire_a_task_of_their_managers(org, plan):
    task = PlanTaskFactory(plan=plan, assignee_role=AssigneeRole.MANAGER, assignee=org.manager)
    with pytest.raises(ApplicationError):
        task_complete(task=task, by=org.engineer)
    task_complete(task=task, by=org.manager)
    assert fresh(task).status == DONE


def test_it_refuses_to_complete_a_task_twice(org, plan):
    task = PlanTaskFactory(plan=plan)
    task_complete(task=task, by=org.engineer)
    with pytest.raises(ApplicationError, match="already done"):
        task_complete(task=task, by=org.engineer)


# --- plain tasks: undo ------------------------------------------------------------------------


def test_it_lets_whoever_completed_a_task_undo_it(org, plan):
    task = PlanTaskFactory(plan=plan)
    task_complete(task=task, by=org.engineer)
    task_undo(task=task, by=org.engineer)
    task = fresh(task)
    assert (task.status, task.done_at, task.done_by) == (OPEN, None, None)


def test_it_lets_the_people_team_undo_a_task_someone_else_completed(org, plan):
    task = PlanTaskFactory(plan=plan)
    task_complete(task=task, by=org.engineer)
    task_undo(task=task, by=org.hr)
    assert fresh(task).status == OPEN


def test_it_refuses_an_undo_by_anyone_else(org, plan):
    task = PlanTaskFactory(plan=plan, assignee_role=AssigneeRole.MANAGER, assignee=org.manager)
    task_complete(task=task, by=org.manager)
    for other in (org.engineer, org.director, org.peer):
        with pytest.raises(ApplicationError, match="Only Mia Chen or the people team"):
            task_undo(task=task, by=other)
    assert fresh(task).status == DONE


def test_it_refuses_to_undo_a_task_that_is_not_done(org, plan):
    task = PlanTaskFactory(plan=plan)
    with pytest.raises(ApplicationError, match="not done"):
        task_undo(task=task, by=org.engineer)


# --- both sides at the same moment (row locks: PostgreSQL only) ----------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_completes_every_pairing_when_both_sides_confirm_at_the_same_moment():
    new_hire = UserFactory(start_date=START)
    buddy = UserFactory()
    plan = OnboardingPlanFactory(new_hire=new_hire, buddy=buddy)
    tasks = [pairing(plan) for _ in range(6)]
    confirmations = [(task, person) for task in tasks for person in (new_hire, buddy)]
    outcomes = run_together(
        [
            lambda task=task, person=person: pairing_confirm(
                task=task, person=person, note=f"{person.name} paired"
            )
            for task, person in confirmations
        ]
    )

    assert outcomes == ["done"] * len(confirmations), outcomes
    done = PlanTask.objects.filter(plan=plan, status=DONE)
    assert done.count() == len(tasks)
    plan.refresh_from_db()
    assert plan.first_pairing_done_at == min(done.values_list("done_at", flat=True))
