"""Celery tasks for Slack: thin, by id, safe to run twice (the row is claimed)."""

from celery import shared_task
from django.utils import timezone

from .notify import queued_email_send
from .services import slack_message_send, slack_messages_due


@shared_task
def slack_message_send_task(message_id: int) -> str:
    """Recorded as a job: transient Slack errors retry, refusals fail once."""
    return slack_message_send(message_id=message_id)


@shared_task
def slack_messages_due_task() -> int:
    """Beat: messages for later (first-day introductions) whose time has come."""
    return slack_messages_due(now=timezone.now())


@shared_task
def queued_email_send_task(email_id: int) -> str:
    """Recorded as a job by notify(): SMTP hiccups retry, a refused address fails once."""
    return queued_email_send(email_id=email_id)
