"""A pair proposes another kick-off slot from their rotation page: the slot
is read in the proposer's timezone and both are re-invited with the same
UID and SEQUENCE + 1 (each .ics parsed back with icalendar)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from core.jobs import job_run
from core.models import Job
from mentorship.services.notifications import pairings_published_notify
from tests.mentorship.test_kickoff_invitations import (  # noqa: F401
    NEW_YORK,
    PARIS,
    invitations_to,
    pairing,
    the_event,
)
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

TASK = "mentorship.tasks.kickoff_reinvite_task"


def propose(client, pairing, day: str, at: str):  # noqa: F811
    return client.post(
        reverse("mentorship:kickoff_slot", args=[pairing.pk]), {"day": day, "at": at}, follow=True
    )


def run_reinvites() -> None:
    for job in Job.objects.filter(task=TASK, status=Job.Status.PENDING).order_by("pk"):
        assert job_run(job_id=job.pk) == "done"


def test_a_proposed_slot_reinvites_both_with_the_same_uid_and_sequence_plus_one(
    org,
    pairing,  # noqa: F811
    client,
):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    mail.outbox.clear()
    client.force_login(org.peer)  # the mentor, in Paris

    page = propose(client, pairing, "2027-01-13", "15:30").content.decode()
    run_reinvites()
    run_reinvites()  # a second run sends nothing more

    assert "Kick-off moved to 13 January 2027 at 15:30 (Europe/Paris)" in page
    assert "Wednesday 13 January 2027, 15:30 (Europe/Paris)" in page  # the card shows it
    uid = f"pairing-{pairing.pk}-kickoff@growth.example.com"
    (mentor_cal,) = invitations_to("peer@example.com")
    (mentee_cal,) = invitations_to("engineer@example.com")
    mentor, mentee = the_event(mentor_cal), the_event(mentee_cal)
    assert str(mentor_cal["method"]) == str(mentee_cal["method"]) == "REQUEST"
    assert str(mentor["uid"]) == str(mentee["uid"]) == uid
    assert mentor["sequence"] == mentee["sequence"] == 1
    assert mentor.decoded("dtstart") == dt.datetime(2027, 1, 13, 15, 30, tzinfo=PARIS)
    assert mentee["dtstart"].params["TZID"] == "America/New_York"
    assert mentee.decoded("dtstart") == dt.datetime(2027, 1, 13, 9, 30, tzinfo=NEW_YORK)
    body = mail.outbox[0].body
    assert "Pia Laine proposed another time for the kick-off" in body

    client.force_login(org.engineer)  # the mentee answers with another slot, in New York
    propose(client, pairing, "2027-01-14", "11:00")
    run_reinvites()

    event = the_event(invitations_to("peer@example.com")[-1])
    assert str(event["uid"]) == uid
    assert event["sequence"] == 2
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 14, 17, 0, tzinfo=PARIS)


def test_a_slot_in_the_past_is_refused_and_nothing_is_sent(org, pairing, client):  # noqa: F811
    client.force_login(org.engineer)

    page = propose(client, pairing, "2020-01-13", "10:00").content.decode()

    assert "The kick-off did not move: Choose a time in the future." in page
    assert not Job.objects.filter(task=TASK).exists()
    pairing.refresh_from_db()
    assert pairing.kickoff_at is None


def test_a_missing_time_is_named(org, pairing, client):  # noqa: F811
    client.force_login(org.engineer)

    page = propose(client, pairing, "2027-01-13", "").content.decode()

    assert "The kick-off did not move. Time: This field is required." in page


def test_someone_outside_the_pair_gets_404(org, pairing, client):  # noqa: F811
    client.force_login(UserFactory())

    response = client.post(
        reverse("mentorship:kickoff_slot", args=[pairing.pk]),
        {"day": "2027-01-13", "at": "10:00"},
    )

    assert response.status_code == 404


def test_the_rotation_page_offers_the_form(org, pairing, client):  # noqa: F811
    client.force_login(org.engineer)

    page = client.get(reverse("mentorship:my_rotation")).content.decode()

    assert reverse("mentorship:kickoff_slot", args=[pairing.pk]) in page
    assert "In your timezone (America/New_York)" in page
    assert "Monday 11 January 2027, 10:00 (America/New_York)" in page  # the default slot
