"""Leaving, end to end, through every entry point: what the leaver held is
handed over, the right people are told once, history stays."""

import datetime as dt

import pytest
from django.core import mail

from calendars.selectors import feed_items
from ladders.models import StretchParticipation
from mentorship.models import Pairing, SignUp
from onboarding.models import AssigneeRole, OffboardingChecklist, OnboardingPlan, PlanTask
from people import hooks
from people.services.lifecycle import person_deactivate
from tests.leavers.conftest import TODAY, fresh, pairing_flag, run_jobs, told
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
LAST_DAY = TODAY.date()


def test_leaving_hands_everything_over_and_tells_each_person_once(world, leave):
    w = world
    leave(w.lee)
    run_jobs()

    lee = fresh(w.lee)
    assert (lee.is_active, lee.end_date) == (False, LAST_DAY)
    # Rotations: open sign-ups withdrawn (the review's too), pairings flagged.
    assert fresh(w.open_signup).status == SignUp.Status.WITHDRAWN
    assert SignUp.objects.get(cycle=w.review, person=lee).status == SignUp.Status.WITHDRAWN
    for pairing in (w.to_ann, w.to_ben, w.by_cat):
        assert pairing_flag(pairing) == (lee.pk, LAST_DAY, False, Pairing.Status.PUBLISHED)
    assert pairing_flag(w.proposed) == (lee.pk, LAST_DAY, False, Pairing.Status.PROPOSED)
    # Onboarding: Noa's new buddy is chosen by the engine, never her manager.
    plan = fresh(w.plan)
    assert plan.buddy == w.sam and plan.buddy_status == OnboardingPlan.BuddyStatus.ASSIGNED
    assert fresh(w.buddy_task).assignee == w.sam
    assert fresh(w.pairing_task).partner == w.sam
    # Ladders: the seat is free.
    assert fresh(w.seat).status == StretchParticipation.Status.WITHDRAWN
    # An offboarding checklist exists for the leaver.
    assert OffboardingChecklist.objects.filter(leaver=lee, current=True).count() == 1

    emails = told()
    assert len(emails) == len(set(emails)), emails  # nobody told the same thing twice
    assert sorted(to for to, _ in emails) == sorted(
        [
            "ann.a@example.com",  # her mentor left
            "ben.b@example.com",
            "cat.c@example.com",  # her mentee left
            "noa.new@example.com",  # her buddy left; who the new one is
            "pat.poster@example.com",  # a seat on the assignment is free
        ]
    )
    assert "dan.d@example.com" not in dict(emails)  # a proposal was never announced to Dan
    ann_email = next(m for m in mail.outbox if m.to == ["ann.a@example.com"])
    assert "Lee Leaver has left" in ann_email.subject
    assert "pair you with another mentor" in ann_email.body
    noa_email = next(m for m in mail.outbox if m.to == ["noa.new@example.com"])
    assert "Sam Senior is your new onboarding buddy" in noa_email.body


def test_jobs_run_twice_tell_nobody_twice(world):
    person_deactivate(person=world.lee)
    ran = run_jobs(times=2)
    assert "mentorship.tasks.kickoff_invitation_cancel_task" in ran
    assert "onboarding.tasks.buddy_replace_task" in ran
    assert "ladders.tasks.stretch_leaver_tell_poster_task" in ran
    emails = told()
    assert len(emails) == 5 and len(set(emails)) == 5


def test_the_subscribers_run_twice_change_nothing_more(world):
    person_deactivate(person=world.lee)
    hooks.people_left([world.lee.pk])  # announced again, e.g. by a retried sync
    run_jobs()
    assert len(told()) == 5
    assert fresh(world.plan).buddy == world.sam


def test_a_new_hire_who_leaves_before_starting_has_their_plan_cancelled(world, leave):
    hire = world.noa
    fresh_plan = OnboardingPlan.objects.get(pk=world.plan.pk)
    fresh_plan.start_date = dt.date(2026, 12, 7)
    fresh_plan.save()
    hire.start_date = dt.date(2026, 12, 7)
    hire.save()
    leave(hire)
    run_jobs()
    plan = fresh(world.plan)
    assert plan.status == OnboardingPlan.Status.CANCELLED and plan.cancelled_at is not None
    assert PlanTask.objects.filter(plan=plan).count() == 2  # history stays
    assert told() == []  # no invitation had been sent, so nothing to cancel


def test_history_stays(world):
    before = {
        "pairings": Pairing.objects.count(),
        "signups": SignUp.objects.count(),
        "tasks": PlanTask.objects.count(),
        "seats": StretchParticipation.objects.count(),
    }
    person_deactivate(person=world.lee)
    run_jobs()
    after = {
        "pairings": Pairing.objects.count(),
        "signups": SignUp.objects.count(),
        "tasks": PlanTask.objects.count(),
        "seats": StretchParticipation.objects.count(),
    }
    assert after == before
    assert Pairing.history.filter(id=world.to_ann.pk, history_change_reason="Lee Leaver left")


def test_a_cancelled_plan_leaves_the_calendar_feeds_and_says_so_in_the_api(world, writer):
    hire = world.noa
    OnboardingPlan.objects.filter(pk=world.plan.pk).update(start_date=dt.date(2026, 12, 7))
    hire.start_date = dt.date(2026, 12, 7)
    hire.save()
    assert any(item.uid.startswith("onboarding-task-") for item in feed_items(person=world.lee))
    person_deactivate(person=hire)
    assert not any(item.uid.startswith("onboarding-task-") for item in feed_items(person=world.lee))
    rows = writer.get("/api/v1/onboarding-plans/").json()
    statuses = {row["email"]: row["status"] for row in rows.get("results", rows)}
    assert statuses["noa.new@example.com"] == "cancelled"


def test_open_tasks_in_others_plans_pass_to_their_manager_or_to_nobody(world):
    zed = UserFactory(name="Zed Report", manager=world.lee, start_date=dt.date(2026, 11, 2))
    plan = OnboardingPlanFactory(new_hire=zed)
    one_to_one = PlanTaskFactory(
        plan=plan, title="First one-to-one", assignee_role=AssigneeRole.MANAGER, assignee=world.lee
    )
    laptop = PlanTaskFactory(
        plan=plan, title="Laptop", assignee_role=AssigneeRole.PEOPLE_TEAM, assignee=world.lee
    )
    done = PlanTaskFactory(
        plan=plan,
        title="Welcome",
        assignee_role=AssigneeRole.MANAGER,
        assignee=world.lee,
        status=PlanTask.Status.DONE,
    )
    person_deactivate(person=world.lee)
    assert fresh(one_to_one).assignee == world.boss
    assert fresh(laptop).assignee is None  # "nobody yet" on the plan, for the people team
    assert fresh(done).assignee == world.lee  # done work keeps who did it
    reasons = set(
        PlanTask.history.filter(id=laptop.pk).values_list("history_change_reason", flat=True)
    )
    assert "handed over: Lee Leaver left" in reasons
