"""Tell one person something by the channels they chose: the one way every
app sends a notice (a check-in prompt, a stretch decision, a leaver's
hand-over...). Call it inside the transaction of the change that causes it,
from a view's service or from a task:

    notify(
        notice="stretch_decision",            # a notice in messaging/kinds.py
        key=f"stretch-decision:{participation.pk}",  # the event; once per person
        person=participation.person,
        link=absolute_url("ladders:stretch_detail", assignment.pk),
        context={"assignment": assignment, "accepted": True, "decided_by": poster},
    )

The email (``<notice>.email``) and the Slack text (``<notice>``) are rendered
in the people team's words now and recorded under the key; each is sent by
its own durable job, once (a rerun with the same key records nothing), Slack
retried on its transient errors and 429s only."""

import logging
from dataclasses import dataclass
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from core.jobs import job_enqueue
from people.models import User

from .models import Channel, QueuedEmail, SlackMessage
from .preferences import channel_of
from .services import slack_message_record
from .texts import KINDS, Overrides, render_email, render_text

logger = logging.getLogger(__name__)

EMAIL_TASK = "messaging.tasks.queued_email_send_task"


@dataclass(frozen=True)
class Notice:
    """What one notify() recorded: None for a channel not used."""

    email: QueuedEmail | None
    slack: SlackMessage | None


def about(person: User) -> dict:
    """The placeholders every notice offers about its recipient."""
    return {
        "recipient": person,
        "manager": person.manager,
        "team": person.team.name if person.team else "",
    }


def email_words(
    kind: str, *, person: User, link: str, context: dict, known: Overrides | None = None
) -> tuple[str, str]:
    """The subject and body of an email that goes by its own path (it carries
    a calendar invitation...), in the people team's words: ``kind`` is an
    ``<name>.email`` of messaging/kinds.py; the placeholders every notice
    offers (``about(person)`` and ``link``) come with it."""
    return render_email(kind, {**about(person), **context, "link": link}, known=known)


@transaction.atomic
def notify(
    *,
    notice: str,
    key: str,
    person: User,
    link: str,
    context: dict | None = None,
    channel: str | None = None,
    known: Overrides | None = None,
    only: str | None = None,
) -> Notice:
    """Record ``notice`` for ``person`` by email, Slack or both, as they chose.

    ``channel`` is their choice when the caller already read it in bulk;
    ``known`` the people team's texts (``texts.overrides()``), likewise.
    ``only`` (``Channel.EMAIL`` or ``Channel.SLACK``) records that part alone,
    if they take it, when another message already covers the other channel
    (an email that must carry a calendar attachment, a Slack introduction)."""
    if notice not in KINDS or f"{notice}.email" not in KINDS:
        raise ValueError(f"No notice named {notice!r} in messaging/kinds.py")
    if not person.is_active:
        return Notice(None, None)
    full = {**about(person), **(context or {}), "link": link}
    channel = channel or channel_of(person)
    key = f"{key}:to-{person.pk}"
    email = slack = None
    if channel in (Channel.EMAIL, Channel.BOTH) and only != Channel.SLACK and person.email:
        email = _email_record(notice, key, person, full, known)
    if channel in (Channel.SLACK, Channel.BOTH) and only != Channel.EMAIL:
        slack = slack_message_record(
            key=f"slack:{key}",
            kind=notice,
            text=render_text(notice, full, known=known),
            people=[person],
        )
    return Notice(email, slack)


def _email_record(notice, key, person, context, known) -> QueuedEmail:
    if (found := QueuedEmail.objects.filter(key=key).first()) is not None:
        return found
    subject, body = render_email(f"{notice}.email", context, known=known)
    email = QueuedEmail.objects.create(
        key=key, kind=notice, recipient=person, subject=subject[:250], body=body
    )
    job_enqueue(EMAIL_TASK, email.pk)
    return email


def queued_email_send(*, email_id: int) -> str:
    """Send the email unless it was sent or refused; returns what happened.

    The row stays locked while the mail server is called, so a second worker
    waits and then finds it sent. A transient SMTP error rolls back and
    raises (the job retries); a refused address is recorded and raised, so
    the job fails with its reason and is never retried."""
    with transaction.atomic():
        email = QueuedEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != QueuedEmail.Status.PENDING:
            return "nothing to do"
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.recipient.email],
            ).send()
        except SMTPRecipientsRefused as refusal:
            email.status, email.error = QueuedEmail.Status.FAILED, f"refused: {refusal}"
            email.save(update_fields=["status", "error"])
            refused = refusal
        else:
            email.status, email.sent_at = QueuedEmail.Status.SENT, timezone.now()
            email.save(update_fields=["status", "sent_at"])
            return "sent"
    raise EmailRefused(str(refused))


class EmailRefused(Exception):
    """The mail server refused the address for good: not retried."""
