"""Celery tasks for rotations: thin, by id, safe to run twice.

Each task loads what it needs by id and calls one service; the services make
a second run harmless (a claimed match run, emails recorded before sending).
Services record these as durable jobs by name (core/jobs.py), which retries
transient errors; beat calls cycles_advance_task directly."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .services.kickoff_changes import (
    kickoff_invitation_cancel,
    kickoff_invitations_refresh,
    kickoff_reinvite,
)
from .services.lifecycle import cycles_advance
from .services.matching_run import match_run_execute
from .services.notifications import checkins_send, feedback_request, pairings_published_notify


@shared_task
def match_run_execute_task(match_run_id: int) -> None:
    """Compute a match run. Business failures are recorded on the run, not retried."""
    match_run_execute(match_run_id=match_run_id)


@shared_task
def pairings_published_notify_task(cycle_id: int) -> int:
    """Email each published pair and their managers, once each."""
    return pairings_published_notify(cycle_id=cycle_id)


# --- the cycle's life after matching ---------------------------------------------------


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def cycles_advance_task() -> list[str]:
    """Daily, from beat: move each cycle on at its dates (the organisation's today)."""
    return cycles_advance(today=timezone.localdate())


@shared_task
def checkins_send_task(cycle_id: int) -> int:
    """Mid-cycle: ask both people of each published pairing how it goes, once."""
    return checkins_send(cycle_id=cycle_id)


@shared_task
def feedback_request_task(cycle_id: int) -> int:
    """At the end: ask each person of each published pairing for feedback, once."""
    return feedback_request(cycle_id=cycle_id)


# --- the kick-off invitation after it was sent -----------------------------------------


@shared_task
def kickoff_invitations_refresh_task(cycle_id: int) -> int:
    """The cycle's start moved: re-invite each pair (same UID, raised SEQUENCE)."""
    return kickoff_invitations_refresh(cycle_id=cycle_id)


@shared_task
def kickoff_invitation_cancel_task(pairing_id: int) -> int:
    """A published pairing no longer takes place: METHOD:CANCEL to both, once."""
    return kickoff_invitation_cancel(pairing_id=pairing_id)


@shared_task
def kickoff_reinvite_task(pairing_id: int, proposed_by_id: int | None = None) -> int:
    """One of the pair proposed another kick-off slot: re-invite both (SEQUENCE + 1)."""
    return kickoff_reinvite(pairing_id=pairing_id, proposed_by_id=proposed_by_id)
