"""Celery tasks for ladders: thin, by id, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def assessment_request_notify_task(request_id: int) -> bool:
    """Tell a manager that a report asked for, or started, an assessment."""
    from .services.requests import assessment_request_notify

    return assessment_request_notify(request_id=request_id)
