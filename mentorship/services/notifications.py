"""Emails of a cycle's life after matching: pairings published, mid-cycle
check-ins, end-of-cycle feedback. Each email is sent at most once per person
and event, however often the services or their tasks run."""

import logging
from collections import defaultdict
from email.mime.base import MIMEBase
from typing import TypeGuard

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from messaging.invitations import email_once as messaging_email_once
from messaging.notify import email_words, notify
from messaging.preferences import wants_email
from messaging.texts import Overrides, overrides
from people.models import User

from ..models import CheckIn, Notification, Pairing, RotationCycle
from .invitations import kickoff_part
from .slack import ReportsPaired, pairings_published_slack

logger = logging.getLogger(__name__)


def notification_key(event: str, *, cycle_id: int, pairing_id: int | None = None) -> str:
    """The key an email is recorded under, e.g. ``checkin:cycle-3:pairing-12``."""
    target = "managers" if pairing_id is None else f"pairing-{pairing_id}"
    return f"{event}:cycle-{cycle_id}:{target}"


def absolute_url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def send_once(
    *,
    key: str,
    recipient: User,
    kind: str,
    link: str,
    context: dict,
    attachments: list[MIMEBase] | None = None,
    known: Overrides | None = None,
) -> bool:
    """Send one email unless it was already sent; return whether this call sent
    it. Its words are the people team's for ``kind`` (an ``<name>.email`` of
    messaging/kinds.py), else the kind's template file."""
    subject, body = email_words(kind, person=recipient, link=link, context=context, known=known)
    return email_once(
        key=key, recipient=recipient, subject=subject, body=body, attachments=attachments
    )


def email_once(
    *,
    key: str,
    recipient: User,
    subject: str,
    body: str,
    attachments: list[MIMEBase] | None = None,
) -> bool:
    """send_once with its words already rendered (e.g. a notice's, by
    messaging.texts.render_email), for an email that carries an attachment;
    recorded as a Notification (messaging.invitations.email_once)."""
    return messaging_email_once(
        key=key,
        recipient=recipient,
        subject=subject,
        body=body,
        attachments=attachments or (),
        ledger=Notification,
    )


def published_pairings(*, cycle_id: int):
    return (
        # A pairing someone left is over: no check-in, no feedback asked of it.
        Pairing.objects.filter(
            cycle_id=cycle_id, status=Pairing.Status.PUBLISHED, left_person__isnull=True
        )
        .select_related(
            "cycle",
            "mentor__person__team",
            "mentee__person__team",
            # the managers' own team and manager: placeholders of their email and DM
            "mentor__person__manager__team",
            "mentor__person__manager__manager",
            "mentee__person__manager__team",
            "mentee__person__manager__manager",
        )
        .order_by("pk")
    )


def reachable(person: User | None) -> TypeGuard[User]:
    """Someone we can email: present, still here, with an address."""
    return person is not None and person.is_active and bool(person.email)


# Not one transaction around the whole run on purpose: each email commits its
# own row, so an email that fails after others were sent keeps theirs.


def pairings_published_notify(*, cycle_id: int) -> int:
    """Tell each person of each published pairing who they are paired with,
    on what, why and when; and each of their managers, once per cycle, which
    of their reports were paired. Returns how many emails this call sent."""
    pairings = list(published_pairings(cycle_id=cycle_id))
    known = overrides()  # the people team's words, read once for the whole cycle
    reports = reports_by_manager(pairings)
    sent = 0
    for pairing in pairings:
        sent += _notify_pair(pairing, known)
    sent += _notify_managers(reports, known)
    pairings_published_slack(pairings, reports, known)  # recorded once each; sent by their jobs
    return sent


def reports_by_manager(pairings: list[Pairing]) -> ReportsPaired:
    """Each active manager's reports in these pairings: (report, their role, the pairing)."""
    by_manager: ReportsPaired = defaultdict(list)
    for pairing in pairings:
        for signup in (pairing.mentor, pairing.mentee):
            manager = signup.person.manager
            if manager is not None and manager.is_active:
                by_manager[manager].append((signup.person, signup.get_role_display(), pairing))
    return by_manager


def _notify_pair(pairing: Pairing, known: Overrides) -> int:
    cycle = pairing.cycle
    key = notification_key("published", cycle_id=cycle.pk, pairing_id=pairing.pk)
    sent = 0
    for signup, partner in ((pairing.mentor, pairing.mentee), (pairing.mentee, pairing.mentor)):
        person = signup.person
        if not reachable(person) or not wants_email(person):
            continue
        sent += send_once(
            key=key,
            recipient=person,
            kind="pairing_published.email",
            link=absolute_url("mentorship:my_rotation"),
            context={
                "cycle": cycle,
                "pairing": pairing,
                "is_mentor": signup.pk == pairing.mentor_id,
                "partner": partner.person,
                "mentor_signup": pairing.mentor,
            },
            attachments=[kickoff_part(pairing, person)],
            known=known,
        )
    return sent


def _notify_managers(reports: ReportsPaired, known: Overrides) -> int:
    """One email per manager, listing every pairing with one of their reports."""
    sent = 0
    for manager, rows in reports.items():
        if not reachable(manager) or not wants_email(manager):
            continue
        cycle = rows[0][2].cycle
        sent += send_once(
            key=notification_key("published", cycle_id=cycle.pk),
            recipient=manager,
            kind="pairing_published_manager.email",
            link=absolute_url("mentorship:team_participation"),
            context={"cycle": cycle, "rows": rows},
            known=known,
        )
    return sent


def checkins_send(*, cycle_id: int) -> int:
    """Mid-cycle: open a check-in for both people of each published pairing
    and ask each, once, how it goes. Returns how many people this call asked
    (their email and Slack message are sent by their own jobs)."""
    if not RotationCycle.objects.filter(pk=cycle_id, status=RotationCycle.Status.ACTIVE).exists():
        return 0  # a late retry after the cycle closed: asking now makes no sense
    pairings = list(published_pairings(cycle_id=cycle_id))
    CheckIn.objects.bulk_create(
        [
            CheckIn(pairing=pairing, person=signup.person)
            for pairing in pairings
            for signup in (pairing.mentor, pairing.mentee)
        ],
        ignore_conflicts=True,
    )
    return sum(_ask_each(pairing, "checkin", "checkin_request") for pairing in pairings)


def feedback_request(*, cycle_id: int) -> int:
    """At the end: ask each person of each published pairing, once, for
    feedback. Returns how many people this call asked."""
    if not RotationCycle.objects.filter(pk=cycle_id, status=RotationCycle.Status.CLOSED).exists():
        return 0
    return sum(
        _ask_each(pairing, "feedback", "feedback_request")
        for pairing in published_pairings(cycle_id=cycle_id)
    )


def _ask_each(pairing: Pairing, event: str, notice: str) -> int:
    """Ask both people of the pairing, once each, by the channels they chose;
    the Notification row says they were asked (the beat counts them)."""
    cycle = pairing.cycle
    key = notification_key(event, cycle_id=cycle.pk, pairing_id=pairing.pk)
    asked = 0
    for signup, partner in ((pairing.mentor, pairing.mentee), (pairing.mentee, pairing.mentor)):
        if not reachable(signup.person):
            continue
        with transaction.atomic():
            _, created = Notification.objects.get_or_create(key=key, recipient=signup.person)
            if not created:
                continue
            notify(
                notice=notice,
                key=key,
                person=signup.person,
                link=absolute_url(f"mentorship:{event}", pairing.pk),
                context={"cycle": cycle, "pairing": pairing, "partner": partner.person},
            )
        asked += 1
    return asked


def emails_outstanding(*, cycle: RotationCycle, event: str) -> bool:
    """Whether someone of a published pairing still misses this event's email
    ("checkin" or "feedback"): the beat enqueues the task until nobody does."""
    expected = Pairing.objects.filter(
        cycle=cycle, status=Pairing.Status.PUBLISHED, left_person__isnull=True
    ).aggregate(
        mentors=Count("pk", filter=Q(mentor__person__is_active=True)),
        mentees=Count("pk", filter=Q(mentee__person__is_active=True)),
    )
    sent = Notification.objects.filter(key__startswith=f"{event}:cycle-{cycle.pk}:").count()
    return sent < expected["mentors"] + expected["mentees"]
