"""What counts as a change of a calendar invitation (messaging/invitations.py):
the time, the title and, where the caller gives them, the attendees."""

import datetime as dt

import pytest

from messaging.invitations import invitation_record
from messaging.models import CalendarInvitation

pytestmark = pytest.mark.django_db
AT = dt.datetime(2027, 1, 6, 10, 0, tzinfo=dt.UTC)


def record(attendees=None, **changes):
    fields = {"uid": "task-1@growth.example", "summary": "Pair on a bug", "starts_at": AT}
    return invitation_record(**{**fields, **changes}, attendees=attendees)


def test_the_same_attendees_in_another_order_change_nothing():
    record(["nia@example.com", "bea@example.com"])
    assert record(["bea@example.com", "nia@example.com"]).sequence == 0


def test_another_attendee_raises_the_sequence_once():
    record(["nia@example.com", "bea@example.com"])
    assert record(["nia@example.com", "sam@example.com"]).sequence == 1
    assert record(["nia@example.com", "sam@example.com"]).sequence == 1


def test_callers_that_give_no_attendees_compare_only_time_and_title():
    record(["nia@example.com", "bea@example.com"])
    assert record().sequence == 0
    assert record(starts_at=AT + dt.timedelta(days=1)).sequence == 1
    assert CalendarInvitation.objects.get().attendees == "bea@example.com\nnia@example.com"


def test_an_invitation_from_before_attendees_were_kept_takes_them_without_an_update():
    CalendarInvitation.objects.create(
        uid="task-1@growth.example", summary="Pair on a bug", starts_at=AT
    )
    assert record(["nia@example.com", "bea@example.com"]).sequence == 0
    assert record(["nia@example.com", "sam@example.com"]).sequence == 1


def test_an_invitation_from_before_attendees_were_kept_raises_on_its_first_change():
    # Its first change is the one a leaver makes: whom the sent emails name
    # stand for the attendees, so the new buddy's arrival raises the sequence.
    CalendarInvitation.objects.create(
        uid="task-1@growth.example", summary="Pair on a bug", starts_at=AT
    )
    changed = invitation_record(
        uid="task-1@growth.example",
        summary="Pair on a bug",
        starts_at=AT,
        attendees=["nia@example.com", "sam@example.com"],
        emailed=["nia@example.com", "bea@example.com"],
    )
    assert changed.sequence == 1
    assert changed.attendees == "nia@example.com\nsam@example.com"
