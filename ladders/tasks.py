"""Celery tasks for ladders: thin, by id, safe to run twice. Recorded as
durable jobs (core/jobs.py), which retry transient errors such as SMTP."""

from celery import shared_task

from .services.leavers import stretch_leaver_tell_poster
from .services.requests import assessment_request_notify


@shared_task
def assessment_request_notify_task(request_id: int) -> bool:
    """Tell a manager that a report asked for, or started, an assessment."""
    return assessment_request_notify(request_id=request_id)


@shared_task
def stretch_leaver_tell_poster_task(participation_id: int) -> bool:
    """A participant left: their seat is free; the poster is told once."""
    return stretch_leaver_tell_poster(participation_id=participation_id)
