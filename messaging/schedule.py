"""Celery beat entries for Slack; merged into CELERY_BEAT_SCHEDULE."""

BEAT_SCHEDULE = {
    # Messages for later (a buddy introduction on the new hire's first morning).
    "messaging-slack-due": {
        "task": "messaging.tasks.slack_messages_due_task",
        "schedule": 600.0,
        "options": {"expires": 300},
    },
}
