"""Celery beat entries for onboarding; config/settings.py merges BEAT_SCHEDULE
into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Hourly, not daily: each person's digest is due at ONBOARDING_DIGEST_HOUR
    # in their own timezone. A Reminder row per person and local day keeps it
    # to one a day; a run missed is caught up by the next one.
    "onboarding-reminders": {
        "task": "onboarding.tasks.reminders_send_task",
        "schedule": crontab(minute=5),
        # A run still queued after an hour is superseded by the next one.
        "options": {"expires": 55 * 60},
    },
    # The safety sweep behind the people hook: plans for new hires who have none
    # (a start date set after they were added, a task lost with its broker).
    "onboarding-plans-create-missing": {
        "task": "onboarding.tasks.plans_create_missing_task",
        "schedule": crontab(hour=4, minute=30),
    },
    # Plans still without a buddy get one as soon as someone has room.
    "onboarding-buddies": {
        "task": "onboarding.tasks.buddies_choose_waiting_task",
        "schedule": crontab(hour=6, minute=15),
    },
}
