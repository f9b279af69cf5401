"""Onboarding sessions someone leaves: the one who takes their place gets
the invitation (same UID, SEQUENCE + 1), the new hire the update, and the
leaver METHOD:CANCEL for them alone at that SEQUENCE, while their mailbox is
open (until their last day); each once, with every job run twice."""

import datetime as dt

import pytest
from django.core import mail

from messaging.models import Channel, ContactPreference, EmailSent
from onboarding.models import AssigneeRole, Kind, OnboardingPlan
from onboarding.services.invitations import plan_invitations_send, task_uid
from onboarding.tasks import buddies_choose_waiting_task
from people.imports import import_people
from tests.leavers.conftest import csv_of, fresh, run_jobs, told
from tests.mentorship.test_kickoff_invitations import invitations_to, the_event
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

SOON = dt.date(2026, 11, 30)  # the Monday after the leaving


@pytest.fixture
def session(world):
    """A pairing session of Noa's with Lee, their buddy, to come: invited."""
    task = PlanTaskFactory(
        plan=world.plan,
        title="Pair on the deploy",
        kind=Kind.PAIRING,
        partner=world.lee,
        due_on=SOON,
    )
    assert plan_invitations_send(plan_id=world.plan.pk) == 2
    mail.outbox.clear()
    return task


def leaves_today(person) -> None:
    """As the HR system's export says (every other way: the `leave` fixture)."""
    assert import_people(csv_of(person, active="false")).ok


def event_of(address: str):
    (calendar,) = invitations_to(address)
    return str(calendar["method"]), the_event(calendar)


def seen(address: str) -> tuple[str, str, int]:
    """The METHOD, UID and SEQUENCE of the one invitation mailed to ``address``."""
    method, event = event_of(address)
    return method, str(event["uid"]), event["sequence"]


def attendees(event) -> list[str]:
    found = event["attendee"]
    found = found if isinstance(found, list) else [found]  # one is not given as a list
    return sorted(str(a).removeprefix("mailto:") for a in found)


def subjects_to(address: str) -> list[str]:
    return [subject for to, subject in told() if to == address]


# --- a buddy who leaves --------------------------------------------------------------------


def test_the_leaving_buddy_gets_the_sessions_cancellation_once(world, session, leave):
    leave(world.lee)
    run_jobs(times=2)

    assert fresh(session).partner == world.sam
    uid = task_uid(session.pk)
    assert seen("lee.leaver@example.com") == ("CANCEL", uid, 1)
    lee = event_of("lee.leaver@example.com")[1]
    assert str(lee["status"]) == "CANCELLED"
    assert attendees(lee) == ["lee.leaver@example.com"]  # them alone: the session goes on
    for address in ("noa.new@example.com", "sam.senior@example.com"):
        assert seen(address) == ("REQUEST", uid, 1)
        assert attendees(event_of(address)[1]) == ["noa.new@example.com", "sam.senior@example.com"]
    assert subjects_to("lee.leaver@example.com") == ["Cancelled: Pair on the deploy (Noa New)"]
    # Noa had it: an update; Sam never did: an invitation.
    assert subjects_to("noa.new@example.com").count("Updated: Pair on the deploy (Noa New)") == 1
    assert subjects_to("sam.senior@example.com") == ["Invitation: Pair on the deploy (Noa New)"]
    body = mail.outbox[[m.to for m in mail.outbox].index(["lee.leaver@example.com"])].body
    assert "You are no longer needed at Pair on the deploy, for Noa New's onboarding" in body
    assert "Sam Senior takes your place." in body


def test_a_buddy_gone_before_today_gets_no_cancellation(world, session):
    """Their last day is past: the address bounces or lands with whoever
    inherited the mailbox, so the cancellation is not sent; the others are."""
    import_people(csv_of(world.lee, end_date="2026-11-20", active="false"))
    run_jobs(times=2)

    assert invitations_to("lee.leaver@example.com") == []
    assert event_of("noa.new@example.com")[1]["sequence"] == 1
    assert event_of("sam.senior@example.com")[1]["sequence"] == 1


def test_with_no_new_buddy_yet_the_leaver_is_still_taken_out(world, session, settings):
    settings.ONBOARDING_BUDDY_MIN_LEVEL = "L5"  # nobody left can be a buddy
    leaves_today(world.lee)
    run_jobs(times=2)

    assert fresh(world.plan).buddy_status == OnboardingPlan.BuddyStatus.NONE_AVAILABLE
    method, event = event_of("lee.leaver@example.com")
    assert (method, event["sequence"]) == ("CANCEL", 1)
    # Noa keeps the session until someone is named: the buddy_left notice says why.
    assert invitations_to("noa.new@example.com") == []

    settings.ONBOARDING_BUDDY_MIN_LEVEL = "L3"
    mail.outbox.clear()
    buddies_choose_waiting_task.run()
    run_jobs(times=2)
    assert fresh(session).partner == world.sam
    assert event_of("noa.new@example.com")[1]["sequence"] == 2
    assert subjects_to("sam.senior@example.com") == ["Invitation: Pair on the deploy (Noa New)"]
    assert invitations_to("lee.leaver@example.com") == []  # told once


# --- a meeting handed over ----------------------------------------------------------


def meeting_with_lee(world, title: str, role: str):
    """Zed, new this month (reporting to Lee if Lee is his manager's role
    here), has a meeting with Lee to come, invited (to whoever takes email)."""
    manager = world.lee if role == AssigneeRole.MANAGER else None
    zed = UserFactory(name="Zed Report", email="zed@example.com", manager=manager, start_date=SOON)
    plan = OnboardingPlanFactory(new_hire=zed)
    task = PlanTaskFactory(
        plan=plan,
        title=title,
        kind=Kind.MEETING,
        assignee_role=role,
        assignee=world.lee,
        due_on=SOON,
    )
    plan_invitations_send(plan_id=plan.pk)
    mail.outbox.clear()
    return task


def test_a_meeting_passed_to_the_leavers_manager_invites_them_and_cancels_the_leaver(world, leave):
    one_to_one = meeting_with_lee(world, "First one-to-one", AssigneeRole.MANAGER)

    leave(world.lee)
    run_jobs(times=2)

    assert fresh(one_to_one).assignee == world.boss
    uid = task_uid(one_to_one.pk)
    assert seen("bo.boss@example.com") == ("REQUEST", uid, 1)
    assert attendees(event_of("bo.boss@example.com")[1]) == [
        "bo.boss@example.com",
        "zed@example.com",
    ]
    assert seen("zed@example.com") == ("REQUEST", uid, 1)
    assert seen("lee.leaver@example.com") == ("CANCEL", uid, 1)
    assert subjects_to("bo.boss@example.com") == ["Invitation: First one-to-one (Zed Report)"]
    assert subjects_to("zed@example.com") == ["Updated: First one-to-one (Zed Report)"]
    assert subjects_to("lee.leaver@example.com") == ["Cancelled: First one-to-one (Zed Report)"]


def test_a_meeting_passed_to_nobody_cancels_it_for_the_leaver_alone(world):
    demo = meeting_with_lee(world, "Product demo", AssigneeRole.PEOPLE_TEAM)

    leaves_today(world.lee)
    run_jobs(times=2)

    assert fresh(demo).assignee is None
    assert event_of("lee.leaver@example.com")[0] == "CANCEL"
    assert invitations_to("zed@example.com") == []  # kept until someone is named


def test_a_leaver_never_sent_the_invitation_gets_no_cancellation(world, settings):
    """Lee takes Slack only: no invitation by email, so nothing to cancel."""
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    ContactPreference.objects.create(person=world.lee, channel=Channel.SLACK)
    meeting_with_lee(world, "First one-to-one", AssigneeRole.MANAGER)
    assert not EmailSent.objects.filter(recipient=world.lee).exists()  # Zed's only

    leaves_today(world.lee)
    run_jobs(times=2)

    assert invitations_to("lee.leaver@example.com") == []
    invited = sorted(to for to, _ in told() if to in ("zed@example.com", "bo.boss@example.com"))
    assert invited == ["bo.boss@example.com", "zed@example.com"]  # the meeting goes on
