"""The Slack stand-in as a fixture, for any test folder that needs it
(import it into the test module or a conftest)."""

import pytest

from tests.messaging.standin import SlackStandIn, running_standin


@pytest.fixture
def slack(settings):
    """Slack configured and pointed at a stand-in started for this test."""
    standin = SlackStandIn(users={})
    with running_standin(standin) as url:
        settings.SLACK_BOT_TOKEN = "xoxb-test-token"
        settings.SLACK_API_URL = url
        settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
        settings.SLACK_RATE_LIMIT_RETRIES = 2
        yield standin


def send_recorded_slack_messages() -> str:
    """Run every recorded Slack job as a worker would; returns their outcomes."""
    from core.jobs import job_run
    from core.models import Job

    jobs = Job.objects.filter(task="messaging.tasks.slack_message_send_task").order_by("pk")
    return " ".join(job_run(job_id=pk) for pk in jobs.values_list("pk", flat=True))


NOTICE_TASKS = ("messaging.tasks.queued_email_send_task", "messaging.tasks.slack_message_send_task")


def deliver_notices() -> list[str]:
    """Run every waiting email and Slack job of notify() as a worker would
    (what a Celery worker does after the commit); returns their outcomes."""
    from core.jobs import job_run
    from core.models import Job

    waiting = Job.objects.filter(task__in=NOTICE_TASKS, status=Job.Status.PENDING).order_by("pk")
    return [job_run(job_id=pk) for pk in waiting.values_list("pk", flat=True)]
