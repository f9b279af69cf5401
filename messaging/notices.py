"""Telling one person something, once, by the channels they chose: an email
(unless they take Slack only) and a Slack message (when Slack is configured
and they take it). Both are recorded under the caller's key before sending,
so a job run twice, or two workers racing, tell the person once.

Call it from a job (a worker), not from a request: the email is sent here."""

from collections.abc import Sequence
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from people.models import User

from .models import EmailSent
from .preferences import wants_email
from .services import slack_message_record


def notice_once(
    *,
    key: str,
    person: User | None,
    kind: str,
    subject: str,
    body: str,
    slack_text: str = "",
    attachments: Sequence[MIMEBase] = (),
    email_only: bool = False,
) -> bool:
    """Tell ``person`` under ``key`` (e.g. ``partner-left:pairing-12``), once.
    Nobody who left, or has no address, is told. Returns whether this call
    sent or recorded anything."""
    if person is None or not person.is_active or not person.email:
        return False
    told = False
    if wants_email(person):
        told |= _email_once(key, person, subject, body, attachments)
    if not email_only:
        message = slack_message_record(
            key=f"slack:{key}", kind=kind, text=slack_text or body, people=[person]
        )
        told |= message is not None
    return told


def _email_once(key: str, person: User, subject: str, body: str, attachments) -> bool:
    """The row is claimed before sending, in the same transaction: a second
    run finds it; a send that raises rolls it back, so the retry sends."""
    with transaction.atomic():
        _, created = EmailSent.objects.get_or_create(key=key, recipient=person)
        if not created:
            return False
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            attachments=list(attachments),
        ).send()
    return True
