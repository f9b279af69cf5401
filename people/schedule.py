"""Celery beat entries for people; config/settings.py merges BEAT_SCHEDULE
into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Just after midnight in the organisation's timezone (beat runs in
    # ORG_TIMEZONE): people whose last day has come leave through
    # person_deactivate. Sign-in is refused from the last day even before
    # this runs (people.rules.may_sign_in); a run missed is caught up by the
    # next, and running twice does nothing more.
    "people-last-days": {
        "task": "people.tasks.last_days_sweep_task",
        "schedule": crontab(hour=0, minute=10),
        "options": {"expires": 12 * 60 * 60},
    },
}
