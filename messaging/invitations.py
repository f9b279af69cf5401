"""Calendar invitations (iCalendar, RFC 5545 / iTIP): one event, one stable
UID; an update keeps the UID and raises SEQUENCE; a cancellation is
METHOD:CANCEL with the same UID, so calendars update instead of duplicating.

Times are written with the recipient's own TZID (and its VTIMEZONE), so
each person's calendar shows the slot in their zone."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from core.timezones import zone_of

from .models import CalendarInvitation, EmailSent

PRODID = "-//Growth//Rotations and onboarding//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str


def uid_for(what: str) -> str:
    """A UID unique to this installation, e.g. ``pairing-12-kickoff@growth.example``."""
    return f"{what}@{urlparse(settings.SITE_URL).hostname or 'localhost'}"


def default_slot(day: dt.date, tz_name: str) -> dt.datetime:
    """The setting's local time (CALENDAR_DEFAULT_SLOT, e.g. "10:00") on ``day`` in that zone."""
    hour, minute = (int(part) for part in settings.CALENDAR_DEFAULT_SLOT.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone_of(tz_name))


# --- what was sent: the UID's sequence --------------------------------------------------


@transaction.atomic
def invitation_record(
    *,
    uid: str,
    summary: str,
    starts_at: dt.datetime,
    attendees: Iterable[str] | None = None,
    emailed: Iterable[str] | None = None,
) -> CalendarInvitation:
    """The invitation to send for this event now: new ones start at SEQUENCE 0;
    a changed time, title or list of attendees (emails; None: not compared),
    or an event invited again after a cancellation, raises it; the same event
    asked again keeps it (a rerun sends the same). ``emailed``: whom the
    caller's sent emails say hold it, standing for the attendees of a row
    recorded before attendees were kept (its first change then raises too)."""
    who = "\n".join(sorted(attendees)) if attendees is not None else ""
    invitation, created = CalendarInvitation.objects.select_for_update().get_or_create(
        uid=uid, defaults={"summary": summary, "starts_at": starts_at, "attendees": who}
    )
    if created:
        return invitation
    if who and not invitation.attendees and emailed:
        invitation.attendees = "\n".join(sorted(emailed))
    replaced = bool(who and invitation.attendees and invitation.attendees != who)
    changed = invitation.starts_at != starts_at or invitation.summary != summary or replaced
    if changed or invitation.cancelled:
        invitation.sequence += 1
        invitation.summary, invitation.starts_at, invitation.cancelled = summary, starts_at, False
        invitation.attendees = who or invitation.attendees
        invitation.save()
    elif who and not invitation.attendees:
        # A row from before attendees were kept: take them as they are, no update.
        invitation.attendees = who
        invitation.save(update_fields=["attendees", "updated_at"])
    return invitation


@transaction.atomic
def invitation_cancel(*, uid: str) -> CalendarInvitation | None:
    """Mark the event cancelled with a raised SEQUENCE; None if it was never
    sent, and the same row (no second raise) if it was already cancelled."""
    invitation = CalendarInvitation.objects.select_for_update().filter(uid=uid).first()
    if invitation is None or invitation.cancelled:
        return invitation
    invitation.sequence += 1
    invitation.cancelled = True
    invitation.save()
    return invitation


# --- the .ics itself ------------------------------------------------------------------


def organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = name or "Growth"
    return organizer


def event_ics(
    *,
    invitation: CalendarInvitation,
    duration: dt.timedelta,
    tz_name: str,
    attendees: Sequence[Attendee],
    description: str = "",
    url: str = "",
    taken_out: bool = False,
) -> bytes:
    """One VEVENT in a VCALENDAR whose METHOD follows the invitation (REQUEST,
    or CANCEL once cancelled), its times in ``tz_name``. ``taken_out``: a
    CANCEL for ``attendees`` alone, taken out of an event that goes on
    without them (RFC 5546 4.2.8, at the SEQUENCE the others' update has)."""
    cancelled = invitation.cancelled or taken_out
    method = "CANCEL" if cancelled else "REQUEST"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", timezone.now())
    start = invitation.starts_at.astimezone(zone_of(tz_name))
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("summary", invitation.summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("organizer", organizer())
    for person in attendees:
        address = icalendar.vCalAddress(f"mailto:{person.email}")
        address.params.update(
            {"CN": person.name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}
        )
        address.params["RSVP"] = "TRUE"
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_part(ics: bytes) -> MIMEBase:
    """The email part calendar clients act on: text/calendar with the METHOD
    repeated as a parameter (Outlook and Gmail read it from there)."""
    method = icalendar.Calendar.from_ical(ics).get("method", "REQUEST")
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", str(method))
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


# --- sending one email, once -------------------------------------------------------------


def email_once(
    *,
    key: str,
    recipient,
    subject: str,
    body: str,
    attachments: Sequence[MIMEBase] = (),
    ledger: type[models.Model] = EmailSent,
) -> bool:
    """Email ``recipient`` unless ``ledger`` (a table with a unique key and
    recipient: messaging's EmailSent, mentorship's Notification) records this
    key for them; returns whether this call sent it.

    The row is claimed before sending, in the same transaction: a second run
    (or a second worker, which waits on the unique index) finds it and skips;
    a send that raises rolls the row back so the retry sends."""
    with transaction.atomic():
        _, created = ledger._default_manager.get_or_create(key=key, recipient=recipient)
        if not created:
            return False
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            attachments=list(attachments),
        ).send()
    return True


def invitation_email_once(*, key: str, recipient, subject: str, body: str, part: MIMEBase) -> bool:
    """Email the invitation ``part`` once per key and recipient (email_once)."""
    return email_once(key=key, recipient=recipient, subject=subject, body=body, attachments=[part])
