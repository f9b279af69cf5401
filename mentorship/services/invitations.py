"""The rotation kick-off as a calendar invitation: one event per published
pairing (UID ``pairing-N-kickoff``) on the cycle's first day at the default
slot in the mentee's zone, unless one of the pair proposed another slot;
sent to each person in their own zone. A moved start date or a proposed
slot re-invites with a raised SEQUENCE; a cancelled pairing sends
METHOD:CANCEL with the same UID."""

import datetime as dt
from email.mime.base import MIMEBase

from django.conf import settings
from django.urls import reverse

from messaging.invitations import (
    Attendee,
    default_slot,
    event_ics,
    ics_part,
    invitation_cancel,
    invitation_record,
    uid_for,
)
from messaging.models import CalendarInvitation
from people.models import User

from ..models import Pairing


def kickoff_uid(pairing_id: int) -> str:
    return uid_for(f"pairing-{pairing_id}-kickoff")


def kickoff_summary(pairing: Pairing) -> str:
    return f"Rotation kick-off: {pairing.mentor.person} and {pairing.mentee.person}"


def kickoff_was_sent(pairing: Pairing) -> bool:
    """Invited and not cancelled since."""
    return CalendarInvitation.objects.filter(uid=kickoff_uid(pairing.pk), cancelled=False).exists()


def kickoff_starts_at(pairing: Pairing) -> dt.datetime:
    """The slot the pair agreed on, else the default slot of the cycle's first day."""
    if pairing.kickoff_at is not None:
        return pairing.kickoff_at
    return default_slot(pairing.cycle.starts_on, pairing.mentee.person.timezone)


def kickoff_record(pairing: Pairing) -> CalendarInvitation:
    """The kick-off as it stands now (its SEQUENCE raised if its time moved)."""
    return invitation_record(
        uid=kickoff_uid(pairing.pk),
        summary=kickoff_summary(pairing),
        starts_at=kickoff_starts_at(pairing),
    )


def kickoff_ics(pairing: Pairing, invitation: CalendarInvitation, recipient: User) -> bytes:
    project = pairing.mentor.project_title or "to agree together in this first session"
    return event_ics(
        invitation=invitation,
        duration=dt.timedelta(minutes=settings.CALENDAR_MEETING_MINUTES),
        tz_name=recipient.timezone,
        attendees=[
            Attendee(email=signup.person.email, name=signup.person.name)
            for signup in (pairing.mentor, pairing.mentee)
        ],
        description=f"{pairing.cycle} ({pairing.cycle.theme}). The project: {project}.",
        url=settings.SITE_URL.rstrip("/") + reverse("mentorship:my_rotation"),
    )


def kickoff_part(pairing: Pairing, recipient: User) -> MIMEBase:
    """The text/calendar part for ``recipient``'s pairing-published email."""
    return ics_part(kickoff_ics(pairing, kickoff_record(pairing), recipient))


def kickoff_cancel_part(pairing: Pairing, recipient: User) -> MIMEBase | None:
    """METHOD:CANCEL for a kick-off that was sent; None if none was."""
    invitation = invitation_cancel(uid=kickoff_uid(pairing.pk))
    if invitation is None:
        return None
    return ics_part(kickoff_ics(pairing, invitation, recipient))
