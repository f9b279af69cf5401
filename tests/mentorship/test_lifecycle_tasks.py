"""The cycle's emails under a real Celery worker on Redis: a task delivered
twice sends each email once."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import RotationCycle
from mentorship.tasks import cycles_advance_task, pairings_published_notify_task
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.people.factories import UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

Status = RotationCycle.Status


def cycle_with_pair(name, mentor, mentee, **fields):
    cycle = RotationCycleFactory(name=name, **fields)
    PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=mentor),
        mentee=SignUpFactory(cycle=cycle, person=mentee),
    )
    return cycle


def sentinel_cycle():
    """A second cycle whose emails, sent after the duplicates were handled,
    show the worker is past them."""
    return cycle_with_pair(
        "Sentinel rotation",
        UserFactory(email="sentinel.mentor@example.com"),
        UserFactory(email="sentinel.mentee@example.com"),
        status=Status.PUBLISHED,
    )


def sent_to() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_the_notify_task_delivered_twice_sends_each_email_once(org, worker):
    cycle = cycle_with_pair("Winter rotation", org.peer, org.engineer, status=Status.PUBLISHED)

    pairings_published_notify_task.delay(cycle.pk)
    pairings_published_notify_task.delay(cycle.pk)  # a redelivery
    pairings_published_notify_task.delay(sentinel_cycle().pk)

    assert wait_for(lambda: len(mail.outbox) >= 6)
    time.sleep(0.5)
    assert sent_to() == [
        "engineer@example.com",
        "manager@example.com",
        "other.manager@example.com",
        "peer@example.com",
        "sentinel.mentee@example.com",
        "sentinel.mentor@example.com",
    ]


def test_the_daily_task_run_twice_asks_for_each_check_in_once(org, worker):
    today = timezone.localdate()
    cycle_with_pair(
        "Winter rotation",
        org.peer,
        org.engineer,
        status=Status.ACTIVE,
        signup_opens_on=today - dt.timedelta(days=40),
        signup_closes_on=today - dt.timedelta(days=20),
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),  # so the check-in is due today
    )

    cycles_advance_task.delay()
    cycles_advance_task.delay()  # a second beat the same day
    assert wait_for(lambda: len(mail.outbox) >= 2)
    pairings_published_notify_task.delay(sentinel_cycle().pk)

    assert wait_for(lambda: len(mail.outbox) >= 4)
    time.sleep(0.5)
    checkins = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("How is"))
    assert checkins == ["engineer@example.com", "peer@example.com"]
    assert len(mail.outbox) == 4
