"""The invitation task under a real Celery worker on Redis."""

import time

import pytest
from django.core import mail
from django.db import transaction

from people.services.invitations import invitation_send
from people.tasks import invitation_send_task
from tests.people.factories import UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def invitee(email):
    person = UserFactory(email=email)
    person.set_unusable_password()
    person.save()
    return person


def test_it_delivers_the_invitation_once_even_when_the_task_is_enqueued_twice(worker):
    person = invitee("twice@example.com")
    invitation_send(person=person)  # autocommit: enqueued at once
    assert wait_for(lambda: len(mail.outbox) == 1)
    invitation_send_task.delay(person.pk, person.invited_at.isoformat())  # a redelivery
    sentinel = invitee("sentinel@example.com")
    invitation_send(person=sentinel)
    assert wait_for(lambda: len(mail.outbox) == 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["sentinel@example.com", "twice@example.com"]


def test_it_never_runs_a_task_whose_transaction_rolled_back(worker):
    person = invitee("rolled.back@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        invitation_send(person=person)
        raise RuntimeError("the request failed after inviting")
    # The worker handles tasks in order: once a later one is done, the
    # rolled-back one would have run too if it had ever been enqueued.
    sentinel = invitee("after@example.com")
    invitation_send(person=sentinel)
    assert wait_for(lambda: len(mail.outbox) >= 1)
    time.sleep(0.5)
    assert [m.to[0] for m in mail.outbox] == ["after@example.com"]
    person.refresh_from_db()
    assert person.invited_at is None
