"""Rotation emails: each person gets each email once, however often the
services or their tasks run, and a failed send is retried, not lost."""

from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from mentorship.models import CheckIn, Notification, Pairing, RotationCycle
from mentorship.services.notifications import (
    checkins_send,
    feedback_request,
    pairings_published_notify,
)
from mentorship.tasks import checkins_send_task, pairings_published_notify_task
from tests.mentorship.factories import (
    CheckInFactory,
    MentorSignUpFactory,
    PairingFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.messaging.fixtures import deliver_notices
from tests.people.factories import UserFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status


class FailingOnceBackend(EmailBackend):
    """The edge of the world: the SMTP server refuses the Nth message once,
    then accepts everything (as a flaky server does)."""

    fail_at = 1
    attempts = 0

    def send_messages(self, messages):
        FailingOnceBackend.attempts += 1
        if FailingOnceBackend.attempts == FailingOnceBackend.fail_at:
            raise SMTPException("451 try again later")
        return super().send_messages(messages)


@pytest.fixture
def failing_once(settings):
    def configure(fail_at: int):
        FailingOnceBackend.fail_at = fail_at
        FailingOnceBackend.attempts = 0
        settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"

    return configure


def make_pairing(org, *, status=Status.PUBLISHED, **fields):
    """The peer mentors the engineer: two people, two different managers."""
    cycle = RotationCycleFactory(name="Winter rotation", status=status)
    return PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer, hours_per_week=3),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
        **fields,
    )


@pytest.fixture
def pairing(org):
    return make_pairing(org)


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def to(address: str):
    return next(message for message in mail.outbox if message.to == [address])


# --- published pairings --------------------------------------------------------------


def test_it_emails_the_pair_and_both_managers_once_each_even_when_run_twice(org, pairing):
    assert pairings_published_notify(cycle_id=pairing.cycle_id) == 4
    assert pairings_published_notify(cycle_id=pairing.cycle_id) == 0

    assert recipients() == [
        "engineer@example.com",
        "manager@example.com",
        "other.manager@example.com",
        "peer@example.com",
    ]
    assert Notification.objects.count() == 4


def test_it_tells_each_person_who_the_project_why_and_the_dates(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)

    mentee_email = to("engineer@example.com")
    assert "Your mentor is Pia Laine" in mentee_email.body
    assert "Make the checkout retry safely" in mentee_email.body
    assert "Teaches system design, your biggest gap." in mentee_email.body
    assert "Monday 7 December 2026" in mentee_email.body
    assert "Friday 29 January 2027" in mentee_email.body
    assert "/rotations/mine/" in mentee_email.body
    mentor_email = to("peer@example.com")
    assert "You will mentor Eli Novak" in mentor_email.body
    assert "About 3 hours a week" in mentor_email.body


def test_it_sends_a_manager_one_email_listing_every_report_paired(org, pairing):
    second_report = UserFactory(email="second@example.com", name="Sam Second", manager=org.manager)
    PublishedPairingFactory(
        cycle=pairing.cycle,
        run=pairing.run,
        mentee=SignUpFactory(cycle=pairing.cycle, person=second_report),
    )

    pairings_published_notify(cycle_id=pairing.cycle_id)
    pairings_published_notify(cycle_id=pairing.cycle_id)

    to_manager = [m for m in mail.outbox if m.to == ["manager@example.com"]]
    assert len(to_manager) == 1
    assert "Eli Novak" in to_manager[0].body
    assert "Sam Second" in to_manager[0].body


def test_it_does_not_announce_pairings_still_proposed(org):
    proposed = make_pairing(org, status=Status.REVIEW)
    Pairing.objects.filter(pk=proposed.pk).update(status=Pairing.Status.PROPOSED)

    assert pairings_published_notify(cycle_id=proposed.cycle_id) == 0
    assert mail.outbox == []


def test_it_does_not_email_someone_who_has_left(org, pairing):
    org.peer.is_active = False
    org.peer.save()

    pairings_published_notify(cycle_id=pairing.cycle_id)

    assert "peer@example.com" not in recipients()
    assert "engineer@example.com" in recipients()


def test_a_failed_send_leaves_no_record_so_the_retry_sends_it(org, pairing, failing_once):
    failing_once(fail_at=3)  # the first two emails go, the third is refused

    with pytest.raises(SMTPException):
        pairings_published_notify(cycle_id=pairing.cycle_id)
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2

    assert pairings_published_notify(cycle_id=pairing.cycle_id) == 2
    assert len(mail.outbox) == 4
    assert len(set(recipients())) == 4
    assert Notification.objects.count() == 4


def test_the_task_retries_a_refused_send_and_sends_each_email_once(org, pairing, failing_once):
    failing_once(fail_at=1)

    pairings_published_notify_task.apply(args=[pairing.cycle_id])  # retried in place
    pairings_published_notify_task(pairing.cycle_id)  # and a duplicate delivery

    assert len(mail.outbox) == 4
    assert len(set(recipients())) == 4


# --- mid-cycle check-ins ---------------------------------------------------------------


def test_it_opens_a_check_in_for_both_people_and_asks_each_once(org):
    pairing = make_pairing(org, status=Status.ACTIVE)

    assert checkins_send(cycle_id=pairing.cycle_id) == 2
    checkins_send_task(pairing.cycle_id)
    deliver_notices()

    assert sorted(CheckIn.objects.values_list("person__email", flat=True)) == [
        "engineer@example.com",
        "peer@example.com",
    ]
    assert recipients() == ["engineer@example.com", "peer@example.com"]
    assert f"/rotations/pairings/{pairing.pk}/checkin/" in to("engineer@example.com").body


def test_it_keeps_a_check_in_already_answered(org):
    pairing = make_pairing(org, status=Status.ACTIVE)
    CheckInFactory(pairing=pairing, person=org.engineer, note="Going well.")

    checkins_send(cycle_id=pairing.cycle_id)

    assert CheckIn.objects.get(person=org.engineer).note == "Going well."
    assert CheckIn.objects.count() == 2


def test_it_asks_for_no_check_in_once_the_cycle_has_closed(org):
    pairing = make_pairing(org, status=Status.CLOSED)

    assert checkins_send(cycle_id=pairing.cycle_id) == 0
    assert mail.outbox == []
    assert CheckIn.objects.count() == 0


# --- end-of-cycle feedback --------------------------------------------------------------


def test_it_asks_each_person_for_feedback_once_at_the_end(org):
    pairing = make_pairing(org, status=Status.CLOSED)

    assert feedback_request(cycle_id=pairing.cycle_id) == 2
    assert feedback_request(cycle_id=pairing.cycle_id) == 0
    deliver_notices()

    assert recipients() == ["engineer@example.com", "peer@example.com"]
    assert f"/rotations/pairings/{pairing.pk}/feedback/" in to("peer@example.com").body
    assert "did the project land" in to("peer@example.com").body


def test_it_asks_for_no_feedback_while_the_cycle_runs(org):
    pairing = make_pairing(org, status=Status.ACTIVE)

    assert feedback_request(cycle_id=pairing.cycle_id) == 0
    assert mail.outbox == []


def test_each_event_is_its_own_email(org):
    pairing = make_pairing(org, status=Status.ACTIVE)
    pairings_published_notify(cycle_id=pairing.cycle_id)
    checkins_send(cycle_id=pairing.cycle_id)
    RotationCycle.objects.filter(pk=pairing.cycle_id).update(status=Status.CLOSED)
    feedback_request(cycle_id=pairing.cycle_id)
    deliver_notices()

    assert [m.to[0] for m in mail.outbox].count("engineer@example.com") == 3


def test_it_ignores_pairings_of_other_cycles(org, pairing):
    PairingFactory(status=Pairing.Status.PUBLISHED)  # another cycle, other people

    pairings_published_notify(cycle_id=pairing.cycle_id)

    assert len(mail.outbox) == 4


# --- two workers at once (the race shows on PostgreSQL only) -----------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_each_email_once(org):
    pairing = make_pairing(org)
    outcomes = run_together(
        [lambda: pairings_published_notify(cycle_id=pairing.cycle_id)] * 4, timeout=30
    )

    assert outcomes == ["done"] * 4, outcomes
    assert len(mail.outbox) == 4
    assert len(set(recipients())) == 4
