"""The rotation kick-off arrives as a calendar invitation with the
pairing-published email: each .ics parsed back and checked field by field;
an update keeps the UID and raises SEQUENCE; a cancellation is METHOD:CANCEL."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from mentorship.services.kickoff_changes import (
    kickoff_invitation_cancel,
    kickoff_invitations_refresh,
)
from mentorship.services.notifications import pairings_published_notify
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def pairing(org, settings):
    settings.SITE_URL = "https://growth.example.com"
    settings.DEFAULT_FROM_EMAIL = "Growth <growth@example.com>"
    settings.CALENDAR_DEFAULT_SLOT = "10:00"
    settings.CALENDAR_MEETING_MINUTES = 45
    org.peer.timezone = "Europe/Paris"
    org.peer.save()
    org.engineer.timezone = "America/New_York"
    org.engineer.save()
    cycle = RotationCycleFactory(
        name="Winter rotation", status="published", starts_on=dt.date(2027, 1, 11)
    )
    return PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer, project_title="Faster builds"),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
    )


def invitations_to(address: str) -> list[icalendar.Calendar]:
    """Every text/calendar part mailed to ``address``, parsed back with icalendar."""
    found = []
    for message in mail.outbox:
        if message.to != [address]:
            continue
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
                assert part.get_param("method") == calendar["method"]
                found.append(calendar)
    return found


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def test_each_person_gets_the_kickoff_in_their_own_timezone(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)

    (mentor_cal,) = invitations_to("peer@example.com")
    (mentee_cal,) = invitations_to("engineer@example.com")
    assert str(mentor_cal["method"]) == "REQUEST"
    mentor_event, mentee_event = the_event(mentor_cal), the_event(mentee_cal)
    uid = f"pairing-{pairing.pk}-kickoff@growth.example.com"
    assert str(mentor_event["uid"]) == str(mentee_event["uid"]) == uid
    assert mentor_event["sequence"] == mentee_event["sequence"] == 0
    # One meeting: 10:00 in the mentee's New York, shown as 16:00 in Paris.
    assert mentee_event["dtstart"].params["TZID"] == "America/New_York"
    assert mentee_event.decoded("dtstart") == dt.datetime(2027, 1, 11, 10, 0, tzinfo=NEW_YORK)
    assert mentor_event["dtstart"].params["TZID"] == "Europe/Paris"
    assert mentor_event.decoded("dtstart") == dt.datetime(2027, 1, 11, 16, 0, tzinfo=PARIS)
    assert mentor_event.decoded("dtend") - mentor_event.decoded("dtstart") == dt.timedelta(
        minutes=45
    )
    assert {tz["tzid"] for tz in mentor_cal.walk("VTIMEZONE")} == {"Europe/Paris"}
    assert str(mentor_event["summary"]) == "Rotation kick-off: Pia Laine and Eli Novak"
    assert "Faster builds" in str(mentor_event["description"])
    assert str(mentor_event["organizer"]) == "mailto:growth@example.com"
    assert mentor_event["organizer"].params["CN"] == "Growth"
    attendees = mentor_event["attendee"]
    assert [str(a) for a in attendees] == ["mailto:peer@example.com", "mailto:engineer@example.com"]
    assert [a.params["CN"] for a in attendees] == ["Pia Laine", "Eli Novak"]
    assert {a.params["ROLE"] for a in attendees} == {"REQ-PARTICIPANT"}
    assert {a.params["RSVP"] for a in attendees} == {"TRUE"}


def test_managers_get_no_invitation(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)

    assert invitations_to("manager@example.com") == []
    assert invitations_to("other.manager@example.com") == []


def test_a_moved_start_reinvites_with_the_same_uid_and_a_raised_sequence(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    cycle = pairing.cycle
    cycle.starts_on = dt.date(2027, 1, 18)
    cycle.save()
    mail.outbox.clear()

    assert kickoff_invitations_refresh(cycle_id=cycle.pk) == 2
    assert kickoff_invitations_refresh(cycle_id=cycle.pk) == 0  # once per change

    event = the_event(invitations_to("engineer@example.com")[0])
    assert str(event["uid"]) == f"pairing-{pairing.pk}-kickoff@growth.example.com"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 18, 10, 0, tzinfo=NEW_YORK)
    assert mail.outbox[0].subject.startswith("Updated: Rotation kick-off")


def test_an_unchanged_cycle_is_not_reinvited(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    mail.outbox.clear()

    assert kickoff_invitations_refresh(cycle_id=pairing.cycle_id) == 0


def test_a_cancelled_pairing_sends_method_cancel_with_the_same_uid_once(org, pairing):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    mail.outbox.clear()

    assert kickoff_invitation_cancel(pairing_id=pairing.pk) == 2
    assert kickoff_invitation_cancel(pairing_id=pairing.pk) == 0

    for address, tzid in (("peer@example.com", "Europe/Paris"), ("engineer@example.com", None)):
        (calendar,) = invitations_to(address)
        event = the_event(calendar)
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert str(event["uid"]) == f"pairing-{pairing.pk}-kickoff@growth.example.com"
        assert event["sequence"] == 1
        assert event["dtstart"].params["TZID"] == (tzid or "America/New_York")


def test_cancelling_a_kickoff_never_sent_sends_nothing(org, pairing):
    assert kickoff_invitation_cancel(pairing_id=pairing.pk) == 0
    assert mail.outbox == []


def test_moving_a_published_cycles_start_in_the_admin_records_the_reinvitation(client, org):
    from core.models import Job
    from tests.ladders.factories import published_ladder

    revision = published_ladder()
    cycle = RotationCycleFactory(
        name="Spring",
        status="published",
        ladder=revision.ladder,
        starts_on=dt.date(2027, 6, 1),
        ends_on=dt.date(2027, 8, 1),
    )
    client.force_login(org.hr)
    data = {
        "name": "Spring",
        "theme": "Reliability",
        "signup_opens_on": cycle.signup_opens_on.isoformat(),
        "signup_closes_on": cycle.signup_closes_on.isoformat(),
        "starts_on": "2027-06-08",
        "ends_on": cycle.ends_on.isoformat(),
        "ladder": revision.ladder.pk,
        "mentor_min_level": "L3",
        "mentee_min_level": "L1",
        "mentee_max_level": "L2",
        "min_level_gap": 1,
        "default_mentor_capacity": 1,
        "repeat_window": 2,
    }

    response = client.post(reverse("admin:mentorship_rotationcycle_change", args=[cycle.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(task="mentorship.tasks.kickoff_invitations_refresh_task")
    assert job.args == [cycle.pk]
