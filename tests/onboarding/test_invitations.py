"""Onboarding meetings and pairing sessions as calendar invitations: each
.ics parsed back with icalendar (UID, SEQUENCE, METHOD, DTSTART with its
TZID, attendees); a moved date keeps the UID and raises SEQUENCE; a new hire
who left gets METHOD:CANCEL, sent to whoever was emailed the invitation; a
rerun sends nothing twice."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail

from onboarding.models import AssigneeRole, Kind, PlanTask
from onboarding.services.invitations import plan_invitations_cancel, plan_invitations_send
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def plan(settings):
    settings.SITE_URL = "https://growth.example.com"
    settings.CALENDAR_DEFAULT_SLOT = "10:00"
    hire = UserFactory(
        name="Nia Obi",
        email="nia@example.com",
        timezone="Asia/Tokyo",
        start_date=dt.date(2027, 1, 4),
    )
    plan = OnboardingPlanFactory(new_hire=hire)
    buddy = UserFactory(name="Bea Kim", email="bea@example.com", timezone="Europe/London")
    manager = UserFactory(name="Max Roy", email="max@example.com", timezone="Asia/Tokyo")
    PlanTaskFactory(
        plan=plan,
        title="Pair on a first bug",
        kind=Kind.PAIRING,
        partner=buddy,
        due_on=dt.date(2027, 1, 6),
    )
    PlanTaskFactory(
        plan=plan,
        title="Welcome meeting",
        kind=Kind.MEETING,
        assignee=manager,
        assignee_role=AssigneeRole.MANAGER,
        due_on=dt.date(2027, 1, 5),
    )
    PlanTaskFactory(plan=plan, title="Set up your laptop", kind=Kind.SETUP)
    PlanTaskFactory(plan=plan, title="Meet the team", kind=Kind.MEETING, assignee=None)
    return plan


def calendars_to(address: str) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for message in mail.outbox
        if message.to == [address]
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def event_titled(address: str, title: str) -> tuple[icalendar.Calendar, icalendar.Event]:
    for calendar in calendars_to(address):
        (event,) = calendar.walk("VEVENT")
        if str(event["summary"]).startswith(title):
            return calendar, event
    raise AssertionError(f"no invitation {title!r} to {address}")


def test_each_session_with_two_people_is_invited_in_each_persons_zone(plan):
    assert plan_invitations_send(plan_id=plan.pk) == 4
    pairing = PlanTask.objects.get(title="Pair on a first bug")

    calendar, event = event_titled("bea@example.com", "Pair on a first bug")
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"onboarding-task-{pairing.pk}@growth.example.com"
    assert event["sequence"] == 0
    assert str(event["summary"]) == "Pair on a first bug (Nia Obi)"
    # 10:00 on the day in Tokyo is 01:00 in London.
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 6, 10, 0, tzinfo=TOKYO)
    assert event.decoded("dtstart").astimezone(zoneinfo.ZoneInfo("Europe/London")).hour == 1
    assert [str(a) for a in event["attendee"]] == [
        "mailto:nia@example.com",
        "mailto:bea@example.com",
    ]
    _, hire_event = event_titled("nia@example.com", "Pair on a first bug")
    assert hire_event["dtstart"].params["TZID"] == "Asia/Tokyo"
    _, meeting = event_titled("max@example.com", "Welcome meeting")
    assert meeting.decoded("dtstart") == dt.datetime(2027, 1, 5, 10, 0, tzinfo=TOKYO)


def test_tasks_that_are_not_two_person_sessions_are_not_invited(plan):
    plan_invitations_send(plan_id=plan.pk)

    subjects = {message.subject for message in mail.outbox}
    assert not any("laptop" in s or "Meet the team" in s for s in subjects)


def test_a_rerun_sends_nothing_and_a_moved_date_reinvites_with_a_raised_sequence(plan):
    plan_invitations_send(plan_id=plan.pk)
    assert plan_invitations_send(plan_id=plan.pk) == 0
    PlanTask.objects.filter(title="Pair on a first bug").update(due_on=dt.date(2027, 1, 7))
    mail.outbox.clear()

    assert plan_invitations_send(plan_id=plan.pk) == 2

    pairing = PlanTask.objects.get(title="Pair on a first bug")
    _, event = event_titled("bea@example.com", "Pair on a first bug")
    assert str(event["uid"]) == f"onboarding-task-{pairing.pk}@growth.example.com"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 7, 10, 0, tzinfo=TOKYO)


def test_a_new_hire_who_left_gets_method_cancel_for_every_session_once(plan):
    plan_invitations_send(plan_id=plan.pk)
    plan.new_hire.is_active = False
    plan.new_hire.save()
    mail.outbox.clear()

    assert plan_invitations_cancel(plan_id=plan.pk) == 4
    assert plan_invitations_cancel(plan_id=plan.pk) == 0

    calendar, event = event_titled("bea@example.com", "Pair on a first bug")
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1
    assert plan_invitations_send(plan_id=plan.pk) == 0  # nothing re-invited for a leaver


def test_the_cancellation_goes_to_those_who_were_emailed_the_invitation(plan, settings):
    """Max takes Slack only: never emailed the meeting, so no cancellation either."""
    from messaging.models import Channel, ContactPreference

    settings.SLACK_BOT_TOKEN = "xoxb-test"
    ContactPreference.objects.create(
        person=PlanTask.objects.get(title="Welcome meeting").assignee, channel=Channel.SLACK
    )
    assert plan_invitations_send(plan_id=plan.pk) == 3
    plan.new_hire.is_active = False
    plan.new_hire.save()
    mail.outbox.clear()

    assert plan_invitations_cancel(plan_id=plan.pk) == 3
    assert calendars_to("max@example.com") == []
