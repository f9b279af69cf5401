"""A rotation kick-off someone leaves: the partner is told (partner_left, with
the cancellation), and the leaver gets the cancellation too (same UID,
SEQUENCE + 1, METHOD:CANCEL), once, if it was emailed to them and while their
mailbox is open (until their last day), as onboarding's sessions do
(tests/leavers/test_sessions.py)."""

import pytest
from django.core import mail

from mentorship.services.invitations import kickoff_record, kickoff_uid
from mentorship.services.kickoff_changes import kickoff_invitation_cancel
from mentorship.services.notifications import pairings_published_notify
from people import hooks
from people.imports import import_people
from people.services.lifecycle import person_deactivate
from tests.leavers.conftest import csv_of, run_jobs, told
from tests.mentorship.test_kickoff_invitations import invitations_to, the_event

pytestmark = pytest.mark.django_db

LEE = "lee.leaver@example.com"


@pytest.fixture
def kickoffs(world):
    """Lee's two mentees' kick-offs were emailed (the published cycle's);
    Cat's pairing with Lee was never announced by email."""
    pairings_published_notify(cycle_id=world.published.pk)
    assert len(invitations_to(LEE)) == 2
    mail.outbox.clear()
    return world


def cancellations_to(address: str) -> list[tuple[str, str, int]]:
    """(METHOD, UID, SEQUENCE) of each calendar part mailed to ``address``, sorted."""
    return sorted(
        (str(calendar["method"]), str(event["uid"]), event["sequence"])
        for calendar in invitations_to(address)
        for event in [the_event(calendar)]
    )


def test_the_leaving_mentor_gets_each_kickoff_cancellation_once(kickoffs, leave):
    w = kickoffs
    leave(w.lee)
    run_jobs(times=2)

    expected = [("CANCEL", kickoff_uid(p.pk), 1) for p in (w.to_ann, w.to_ben)]
    assert cancellations_to(LEE) == sorted(expected)  # Cat's, never emailed: nothing
    assert sorted(subject for to, subject in told() if to == LEE) == [
        "Cancelled: Rotation kick-off: Lee Leaver and Ann A",
        "Cancelled: Rotation kick-off: Lee Leaver and Ben B",
    ]
    body = next(m.body for m in mail.outbox if m.to == [LEE])
    assert "As you are leaving, your rotation pairing" in body
    assert "The people team will be in touch" not in body
    # The partners hear it once each, with the same cancellation.
    assert cancellations_to("ann.a@example.com") == [("CANCEL", kickoff_uid(w.to_ann.pk), 1)]
    assert cancellations_to("ben.b@example.com") == [("CANCEL", kickoff_uid(w.to_ben.pk), 1)]
    emails = told()
    assert len(emails) == len(set(emails)), emails


def test_jobs_and_the_leaving_run_twice_tell_the_leaver_once(kickoffs):
    w = kickoffs
    person_deactivate(person=w.lee)
    hooks.people_left([w.lee.pk])  # announced again, e.g. by a retried sync
    run_jobs(times=2)
    assert kickoff_invitation_cancel(pairing_id=w.to_ann.pk) == 0  # a late retry

    assert len(cancellations_to(LEE)) == 2
    assert [to for to, _ in told()].count(LEE) == 2  # one per kick-off


def test_a_mentor_gone_before_today_gets_no_cancellation(kickoffs):
    """Their last day is past: the address bounces or lands with whoever
    inherited the mailbox, so nothing is sent to it; the partners still hear."""
    import_people(csv_of(kickoffs.lee, end_date="2026-11-20", active="false"))
    run_jobs(times=2)

    assert [to for to, _ in told()].count(LEE) == 0
    assert cancellations_to("ann.a@example.com") == [("CANCEL", kickoff_uid(kickoffs.to_ann.pk), 1)]


def test_a_leaver_never_emailed_the_kickoff_gets_no_cancellation(world):
    """Nobody was emailed a kick-off (only recorded): Lee gets nothing,
    though the partner's news still carries the cancellation."""
    kickoff_record(world.to_ann)
    person_deactivate(person=world.lee)
    run_jobs(times=2)

    assert [to for to, _ in told()].count(LEE) == 0
    assert cancellations_to("ann.a@example.com") == [("CANCEL", kickoff_uid(world.to_ann.pk), 1)]
