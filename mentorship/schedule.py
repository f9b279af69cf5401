"""Celery beat entries for rotations; config/settings.py merges BEAT_SCHEDULE
into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Early, before people start their day: a cycle opens or starts on its date.
    "mentorship-advance-cycles": {
        "task": "mentorship.tasks.cycles_advance_task",
        "schedule": crontab(hour=6, minute=0),
    },
}
