"""Slack messages on the durable path: recorded with a unique key in the
caller's transaction (so a rerun records nothing twice), sent by a job that
claims the row, so two workers racing send it once. Without SLACK_BOT_TOKEN
nothing is recorded and nothing changes."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.jobs import job_enqueue, jobs_enqueue
from people.errors import ApplicationError
from people.models import User

from . import slack
from .models import SlackMessage
from .preferences import slack_configured, slack_people

logger = logging.getLogger(__name__)

SEND_TASK = "messaging.tasks.slack_message_send_task"
Status = SlackMessage.Status


@transaction.atomic
def slack_message_record(
    *,
    key: str,
    kind: str,
    text: str,
    people: Iterable[User | None] = (),
    channel: str = "",
    send_after: dt.datetime | None = None,
) -> SlackMessage | None:
    """Record one message to ``people`` (those who take Slack) or to ``channel``
    and its job. None when Slack is off or nobody here takes Slack; the row
    already there when this key was recorded before."""
    if not slack_configured():
        return None
    recipients = slack_people(people) if not channel else []
    if not channel and not recipients:
        return None
    message, created = SlackMessage.objects.get_or_create(
        key=key, defaults={"kind": kind, "text": text, "channel": channel, "send_after": send_after}
    )
    if not created:
        return message
    if recipients:
        message.recipients.set(recipients)
    if send_after is None or send_after <= timezone.now():
        _queue(message)
    return message


def people_team_post(*, key: str, kind: str, text: str) -> SlackMessage | None:
    """A message to the people team's channel, if one is configured."""
    if not settings.SLACK_PEOPLE_TEAM_CHANNEL:
        return None
    return slack_message_record(
        key=key, kind=kind, text=text, channel=settings.SLACK_PEOPLE_TEAM_CHANNEL
    )


def people_team_posts(*, kind: str, texts: dict[str, str]) -> list[SlackMessage]:
    """people_team_post for many messages of one kind ({key: text}) in a
    few queries: a key recorded before records nothing. Should another writer
    record one of the keys meanwhile, only this insert is undone (a savepoint)
    and the messages are recorded one by one, each once: the caller's change
    (a whole file of leavers) never fails for it."""
    channel = settings.SLACK_PEOPLE_TEAM_CHANNEL
    if not channel or not slack_configured() or not texts:
        return []
    known = set(SlackMessage.objects.filter(key__in=texts).values_list("key", flat=True))
    now = timezone.now()
    new = {key: text for key, text in texts.items() if key not in known}
    try:
        with transaction.atomic():
            messages = SlackMessage.objects.bulk_create(
                SlackMessage(key=key, kind=kind, text=text, channel=channel, queued_at=now)
                for key, text in new.items()
            )
    except IntegrityError:
        one_by_one = (people_team_post(key=key, kind=kind, text=text) for key, text in new.items())
        return [message for message in one_by_one if message is not None]
    jobs_enqueue(SEND_TASK, [[message.pk] for message in messages])
    return messages


def _queue(message: SlackMessage) -> None:
    SlackMessage.objects.filter(pk=message.pk).update(queued_at=timezone.now())
    job_enqueue(SEND_TASK, message.pk)


@transaction.atomic
def slack_messages_due(*, now: dt.datetime) -> int:
    """The sweep (beat): hand every message whose time has come to a worker."""
    due = list(
        SlackMessage.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING, queued_at=None, send_after__lte=now)
        .order_by("send_after", "pk")[:1000]
    )
    for message in due:
        _queue(message)
    return len(due)


def slack_message_send(*, message_id: int) -> str:
    """Send the message unless it was sent or refused; returns what happened.

    Race condition: the row stays locked while Slack is called, so a second
    worker waits and then finds it sent. A transient error rolls back and
    raises (the job retries); a refusal is recorded, then raised so the job
    fails with the reason on the background page, and is never retried."""
    with transaction.atomic():
        message = SlackMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Status.PENDING:
            return "nothing to do"
        if not slack_configured():
            return "slack is off"
        try:
            ts = _deliver(message)
        except slack.SlackRefused as refusal:
            message.status, message.error = Status.FAILED, str(refusal)
            message.save(update_fields=["status", "error"])
            refused = refusal
        else:
            message.status, message.slack_ts, message.error = Status.SENT, ts, ""
            message.sent_at = timezone.now()
            message.save(update_fields=["status", "slack_ts", "error", "sent_at"])
            return "sent"
    raise refused


def _deliver(message: SlackMessage) -> str:
    api = slack.client()
    if message.channel:
        return slack.post_to_channel(api, message.channel, message.text)
    emails = [person.email for person in message.recipients.order_by("pk")]
    if not emails:
        raise slack.SlackRefused("no_recipients", "nobody left to send it to")
    return slack.post_to_people(api, emails, message.text)


@transaction.atomic
def slack_message_retry(*, message: SlackMessage) -> SlackMessage:
    """The people team fixed the cause (the person joined Slack...): send again."""
    current = SlackMessage.objects.select_for_update().get(pk=message.pk)
    if current.status != Status.FAILED:
        raise ApplicationError(f"{current} is not a failed message.")
    current.status, current.error = Status.PENDING, ""
    current.save(update_fields=["status", "error"])
    _queue(current)
    return current
