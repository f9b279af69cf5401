"""Celery tasks for people: thin, by id, safe to run twice. Recorded as durable
jobs (core/jobs.py), which retry transient errors such as SMTP."""

from celery import shared_task

from .services.bulk import last_days_sweep
from .services.invitations import invitation_deliver


@shared_task
def invitation_send_task(person_id: int, invited_at: str) -> bool:
    """Email an invitation to sign in (once, however often it runs)."""
    return invitation_deliver(person_id=person_id, invited_at=invited_at)


@shared_task
def last_days_sweep_task() -> int:
    """Deactivate the people whose last day has come (daily; safe twice)."""
    return last_days_sweep()
