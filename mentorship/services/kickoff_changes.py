"""The kick-off invitation changing after it was sent: the cycle's start moved
(everyone re-invited), a pair moved their slot (both re-invited), a pairing
cancelled or someone left (CANCEL to whoever was invited; the leaver only
while their mailbox is open). Same UID, SEQUENCE raised, each email once per
change, however often the jobs run."""

import logging
from email.mime.base import MIMEBase

from django.db.models import Q

from core.jobs import job_enqueue
from core.timezones import zone_of
from messaging.models import Channel
from messaging.notify import email_words, notify
from messaging.preferences import mailbox_open, wants_email
from messaging.texts import Overrides, overrides
from people.models import User

from ..models import Notification, Pairing, RotationCycle, SignUp
from .invitations import kickoff_cancel_part, kickoff_part, kickoff_record, kickoff_was_sent
from .invitations import kickoff_summary as kickoff_summary_of
from .notifications import (
    absolute_url,
    email_once,
    notification_key,
    published_pairings,
    reachable,
    send_once,
)

logger = logging.getLogger(__name__)


def kickoff_invitations_refresh_later(*, cycle: RotationCycle) -> None:
    """The cycle's start moved: a worker re-invites the pairs already invited."""
    if cycle.status in (RotationCycle.Status.PUBLISHED, RotationCycle.Status.ACTIVE):
        job_enqueue("mentorship.tasks.kickoff_invitations_refresh_task", cycle.pk)


def kickoff_invitations_refresh(*, cycle_id: int) -> int:
    """After the cycle's start date moved: send each published pair the updated
    kick-off (same UID, raised SEQUENCE), once per change. Returns emails sent."""
    known = overrides()
    sent = 0
    for pairing in published_pairings(cycle_id=cycle_id):
        if not kickoff_was_sent(pairing):
            continue  # the published email carries the first one; a cancelled one stays so
        sent += _reinvite(pairing, known=known)
    return sent


def kickoff_reinvite(*, pairing_id: int, proposed_by_id: int | None = None) -> int:
    """One of the pair proposed another slot: both get the moved invitation
    (same UID, SEQUENCE + 1), once per change. Returns emails sent."""
    pairing = (
        Pairing.objects.filter(pk=pairing_id, status=Pairing.Status.PUBLISHED)
        .select_related("cycle", "mentor__person", "mentee__person")
        .first()
    )
    if pairing is None:
        return 0
    proposed_by = User.objects.filter(pk=proposed_by_id).first() if proposed_by_id else None
    return _reinvite(pairing, proposed_by=proposed_by)


def _reinvite(
    pairing: Pairing, *, proposed_by: User | None = None, known: Overrides | None = None
) -> int:
    invitation = kickoff_record(pairing)
    if invitation.sequence == 0:
        return 0  # nothing changed since the first invitation
    sent = 0
    for signup in (pairing.mentor, pairing.mentee):
        person = signup.person
        if not reachable(person):
            continue
        local = invitation.starts_at.astimezone(zone_of(person.timezone))
        sent += send_once(
            key=f"kickoff:pairing-{pairing.pk}:seq-{invitation.sequence}",
            recipient=person,
            kind="kickoff_updated.email",
            link=absolute_url("mentorship:my_rotation"),
            context={
                "summary": invitation.summary,
                "pairing": pairing,
                "cycle": pairing.cycle,
                "proposed_by": proposed_by,
                "starts": f"{local:%A %d %B %Y, %H:%M}",
                "zone": person.timezone,
            },
            attachments=[kickoff_part(pairing, person)],
            known=known,
        )
    return sent


def kickoff_invitation_cancel(*, pairing_id: int) -> int:
    """A published pairing that no longer takes place: both people get
    METHOD:CANCEL for its kick-off, once. When one of them left, the other is
    told so instead (the ``partner_left`` notice), with the cancellation
    attached if a kick-off was sent, and the leaver gets the cancellation
    while their mailbox is open (_leaver_cancel). Returns emails sent."""
    pairing = (
        Pairing.objects.select_related("cycle", "mentor__person", "mentee__person", "left_person")
        .filter(pk=pairing_id)
        .first()
    )
    if pairing is None:
        return 0
    sent = 0
    for signup in (pairing.mentor, pairing.mentee):
        person = signup.person
        part = kickoff_cancel_part(pairing, person)
        if person.pk == pairing.left_person_id:
            sent += _leaver_cancel(pairing, person, part)
        elif (part is None and pairing.left_person_id is None) or not reachable(person):
            continue
        elif pairing.left_person_id is not None:
            sent += _partner_left_tell(pairing, signup, part)
        elif wants_email(person):  # Slack only: never emailed the kick-off
            sent += _cancel_send(pairing, person, part, leaving=False)
    return sent


def _leaver_cancel(pairing: Pairing, leaver: User, part: MIMEBase | None) -> bool:
    """The one who left clears the kick-off from their calendar, once: only if
    it was emailed to them, and while their mailbox is open (until their last
    day; afterwards the address bounces or reaches whoever inherited it)."""
    if part is None or not mailbox_open(leaver) or not _kickoff_emailed(pairing, leaver):
        return False
    return _cancel_send(pairing, leaver, part, leaving=True)


def _kickoff_emailed(pairing: Pairing, person: User) -> bool:
    """Whether ``person`` was emailed the kick-off: with the published email
    or a moved one (both recorded as Notification rows, see their keys above)."""
    published = notification_key("published", cycle_id=pairing.cycle_id, pairing_id=pairing.pk)
    return Notification.objects.filter(
        Q(key=published) | Q(key__startswith=f"kickoff:pairing-{pairing.pk}:"),
        recipient=person,
    ).exists()


def _cancel_send(pairing: Pairing, person: User, part: MIMEBase | None, *, leaving: bool) -> bool:
    return send_once(
        key=f"kickoff-cancel:pairing-{pairing.pk}",
        recipient=person,
        kind="kickoff_cancelled.email",
        link=absolute_url("mentorship:my_rotation"),
        context={
            "summary": kickoff_summary_of(pairing),
            "pairing": pairing,
            "cycle": pairing.cycle,
            "leaving": leaving,
        },
        attachments=[part] if part else [],
    )


def _partner_left_tell(pairing: Pairing, stays: SignUp, part: MIMEBase | None) -> bool:
    """The partner of someone who left hears it once, in the people team's
    words (``partner_left``): on Slack through notify, by email here, because
    the email carries the kick-off's cancellation, which notify cannot."""
    person = stays.person
    link = absolute_url("mentorship:my_rotation")
    context = {
        "left": pairing.left_person,
        "cycle": pairing.cycle,
        "pairing": str(pairing),
        "has_invitation": part is not None,
        "is_mentee": stays.pk == pairing.mentee_id,
    }
    notify(
        notice="partner_left",
        key=f"partner-left:pairing-{pairing.pk}",
        person=person,
        link=link,
        context=context,
        only=Channel.SLACK,
    )
    if not wants_email(person):
        return False
    subject, body = email_words("partner_left.email", person=person, link=link, context=context)
    return email_once(
        key=f"kickoff-cancel:pairing-{pairing.pk}",
        recipient=person,
        subject=subject,
        body=body,
        attachments=[part] if part else [],
    )
