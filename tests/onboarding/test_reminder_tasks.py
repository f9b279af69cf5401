"""The reminders task under a real Celery worker on Redis."""

import datetime as dt
import time

import pytest
import time_machine
from django.core import mail

from onboarding.models import AssigneeRole, Reminder
from onboarding.tasks import reminders_send_task
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory
from tests.workers import running_worker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 11, 30)
# Tuesday 09:00 in London; time runs on from there so the worker's timers work.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def worker():
    # A thread in this process, so Django's locmem mail outbox is shared.
    with time_machine.travel(TUESDAY_MORNING, tick=True), running_worker():
        yield


def new_hire_with_a_task_due(email: str) -> None:
    hire = UserFactory(email=email, start_date=MONDAY, timezone="Europe/London")
    plan = OnboardingPlanFactory(new_hire=hire, buddy=UserFactory(email=f"buddy.{email}"))
    PlanTaskFactory(plan=plan, due_on=MONDAY)
    PlanTaskFactory(plan=plan, due_on=MONDAY, assignee=plan.buddy, assignee_role=AssigneeRole.BUDDY)


def test_it_sends_one_digest_per_person_when_the_worker_runs_the_task_twice(worker):
    new_hire_with_a_task_due("ann@example.com")
    new_hire_with_a_task_due("bob@example.com")
    reminders_send_task.delay()
    reminders_send_task.delay()  # a second beat tick, or a redelivery
    assert wait_for(lambda: len(mail.outbox) >= 4)

    # The worker runs tasks in order: once a third run has sent the digest of
    # someone added after the first two, both of those are finished.
    new_hire_with_a_task_due("cat@example.com")
    reminders_send_task.delay()
    assert wait_for(lambda: len(mail.outbox) >= 6)
    time.sleep(0.5)

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "ann@example.com",
        "bob@example.com",
        "buddy.ann@example.com",
        "buddy.bob@example.com",
        "buddy.cat@example.com",
        "cat@example.com",
    ]
    assert Reminder.objects.filter(kind=Reminder.Kind.DIGEST, key="2026-12-01").count() == 6
