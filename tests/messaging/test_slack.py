"""Slack messages through a stand-in of Slack's Web API: each sent once,
retried on 429 (after Retry-After) and on a 500, never on a refusal such as
user_not_found, which is recorded for the people team; two workers racing
send nothing twice; without a token nothing happens."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_run
from core.models import Job
from messaging.models import SlackMessage, SlackUser
from messaging.preferences import contact_preference_set
from messaging.services import slack_message_record, slack_message_send, slack_messages_due
from tests.people.factories import UserFactory

Status = SlackMessage.Status


@pytest.fixture
def people(db, slack):
    ada = UserFactory(email="ada@example.com", name="Ada Byron")
    bo = UserFactory(email="bo@example.com", name="Bo Diddley")
    slack.users.update({"ada@example.com": "U1", "bo@example.com": "U2"})
    return ada, bo


def run_job_of(message: SlackMessage) -> str:
    job = Job.objects.get(task="messaging.tasks.slack_message_send_task", args=[message.pk])
    return job_run(job_id=job.pk)


def record(people, key="hello", text="Hello!"):
    return slack_message_record(key=key, kind="test", text=text, people=people)


@pytest.mark.django_db
def test_without_a_token_nothing_is_recorded(settings):
    settings.SLACK_BOT_TOKEN = ""
    person = UserFactory()

    assert record([person]) is None
    assert SlackMessage.objects.count() == 0
    assert Job.objects.count() == 0


def test_a_direct_message_is_sent_once(people, slack):
    ada, _ = people
    message = record([ada])

    assert run_job_of(message) == "done"
    assert slack_message_send(message_id=message.pk) == "nothing to do"

    assert slack.posts == [{"channel": "DU1", "text": "Hello!"}]
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.slack_ts == "1.000100"


def test_two_people_get_one_group_message(people, slack):
    message = record(people)

    run_job_of(message)

    assert slack.posts == [{"channel": "GU1-U2", "text": "Hello!"}]
    assert [params["users"] for name, params in slack.calls if name == "conversations.open"] == [
        "U1,U2"
    ]


def test_recording_the_same_key_twice_records_one_message_and_one_job(people):
    first, second = record(people), record(people)

    assert first.pk == second.pk
    assert Job.objects.filter(task="messaging.tasks.slack_message_send_task").count() == 1


def test_someone_who_chose_email_only_is_left_out(people, slack):
    _, bo = people
    contact_preference_set(person=bo, channel="email")

    run_job_of(record(people))

    assert slack.posts == [{"channel": "DU1", "text": "Hello!"}]


def test_nobody_taking_slack_records_nothing(people):
    ada, _ = people
    contact_preference_set(person=ada, channel="email")

    assert record([ada]) is None


def test_people_are_looked_up_once_then_cached(people, slack):
    ada, _ = people
    run_job_of(record([ada], key="one"))
    run_job_of(record([ada], key="two"))

    assert slack.count("users.lookupByEmail") == 1
    assert SlackUser.objects.get(email="ada@example.com").slack_id == "U1"


def test_a_stale_cached_id_is_looked_up_again(people, slack):
    ada, _ = people
    SlackUser.objects.create(email="ada@example.com", slack_id="U-OLD")
    slack.gone.add("U-OLD")

    run_job_of(record([ada]))

    assert slack.posts == [{"channel": "DU1", "text": "Hello!"}]
    assert SlackUser.objects.get(email="ada@example.com").slack_id == "U1"


def test_a_429_waits_retry_after_and_sends_once(people, slack):
    ada, _ = people
    slack.fail_next("chat.postMessage", 429)

    assert run_job_of(record([ada])) == "done"

    assert slack.count("chat.postMessage") == 2
    assert len(slack.posts) == 1


def test_a_500_is_retried_and_sends_once(people, slack):
    ada, _ = people
    slack.fail_next("chat.postMessage", 500)

    assert run_job_of(record([ada])) == "done"

    assert slack.count("chat.postMessage") == 2
    assert len(slack.posts) == 1


def test_a_long_rate_limit_gives_the_job_back_for_after_retry_after(people, slack, settings):
    ada, _ = people
    settings.SLACK_RATE_LIMIT_RETRIES = 0  # no waiting in the worker: the runner waits
    slack.retry_after = 120
    slack.fail_next("chat.postMessage", 429)
    message = record([ada])
    before = timezone.now()

    assert run_job_of(message) == "retry"

    job = Job.objects.get(args=[message.pk])
    assert job.status == Job.Status.PENDING
    assert "rate limited" in job.last_error
    assert job.available_at >= before + dt.timedelta(seconds=120)
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert slack.posts == []

    Job.objects.filter(pk=job.pk).update(available_at=timezone.now())
    assert job_run(job_id=job.pk) == "done"
    assert len(slack.posts) == 1


def test_a_server_that_keeps_failing_leaves_the_message_to_retry(people, slack):
    ada, _ = people
    slack.fail_next("chat.postMessage", 500, times=2)

    message = record([ada])
    assert run_job_of(message) == "retry"

    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert slack.posts == []


def test_someone_not_in_slack_fails_for_good_and_is_recorded(people, slack):
    outsider = UserFactory(email="outsider@example.com")
    message = record([outsider])

    assert run_job_of(message) == "failed"

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "users_not_found" in message.error
    assert "outsider@example.com" in message.error
    job = Job.objects.get(args=[message.pk])
    assert job.status == Job.Status.FAILED
    assert "SlackRefused: users_not_found" in job.last_error
    assert slack.count("users.lookupByEmail") == 1  # not retried
    assert slack.posts == []


def test_user_not_found_when_opening_the_conversation_is_not_retried(people, slack):
    ada, _ = people
    slack.fail_next("conversations.open", 200, "user_not_found", times=2)

    assert run_job_of(record([ada])) == "failed"

    assert slack.count("conversations.open") == 2  # once, then once more with a fresh id
    assert slack.posts == []


def test_a_channel_the_bot_cannot_find_is_recorded(db, slack):
    message = slack_message_record(key="x", kind="test", text="Run done", channel="#nowhere")

    assert run_job_of(message) == "failed"

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.error == "channel_not_found: chat_postMessage"


def test_a_message_for_later_waits_for_the_sweep(people, slack):
    ada, _ = people
    later = timezone.now() + dt.timedelta(hours=3)
    message = slack_message_record(
        key="intro", kind="test", text="Welcome", people=[ada], send_after=later
    )

    assert Job.objects.count() == 0
    assert slack_messages_due(now=timezone.now()) == 0
    assert slack_messages_due(now=later) == 1
    assert slack_messages_due(now=later) == 0

    assert run_job_of(message) == "done"
    assert len(slack.posts) == 1


# --- the people team sees and resends refusals ------------------------------------------


def test_the_people_team_sees_failed_messages_and_sends_them_again(people, slack, client):
    from tests.people.factories import PeopleTeamFactory

    outsider = UserFactory(email="outsider@example.com")
    message = record([outsider])
    run_job_of(message)
    client.force_login(PeopleTeamFactory())

    listing = client.get(reverse("admin:messaging_slackmessage_changelist") + "?status=failed")
    assert "users_not_found" in listing.content.decode()

    slack.users["outsider@example.com"] = "U9"
    client.post(
        reverse("admin:messaging_slackmessage_changelist"),
        {"action": "send_again", "_selected_action": [message.pk]},
    )
    latest = Job.objects.filter(args=[message.pk]).order_by("-pk").first()
    assert job_run(job_id=latest.pk) == "done"
    assert slack.posts == [{"channel": "DU9", "text": "Hello!"}]


def test_someone_outside_the_people_team_cannot_see_the_list(people, client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:messaging_slackmessage_changelist"))

    assert response.status_code == 404  # as every page they may not see


# --- two workers racing -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_it_once(slack):
    UserFactory(email="ada@example.com")
    slack.users["ada@example.com"] = "U1"
    slack.post_delay = 0.3  # the first worker is still talking to Slack when the second comes
    message = slack_message_record(
        key="race",
        kind="test",
        text="Once",
        people=[UserFactory._meta.model.objects.get(email="ada@example.com")],
    )
    outcomes = []

    def worker():
        try:
            outcomes.append(slack_message_send(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["nothing to do", "sent"]
    assert len(slack.posts) == 1


@pytest.mark.django_db(transaction=True)
def test_a_key_another_writer_records_meanwhile_does_not_undo_the_batch(slack, monkeypatch):
    # Between the batch's look-up of known keys and its insert, someone else
    # records "left:1" (what a clash in production looks like).
    from django.db import transaction

    from messaging import services

    real_now = services.timezone.now
    clashed = []

    def now_after_another_writer():
        if not clashed:
            clashed.append(True)  # first: recording calls now() too
            services.people_team_post(key="left:1", kind="pairing_left", text="theirs")
        return real_now()

    monkeypatch.setattr(services.timezone, "now", now_after_another_writer)
    with transaction.atomic():  # the caller's change: a file of leavers
        posted = services.people_team_posts(
            kind="pairing_left", texts={"left:1": "ours", "left:2": "ours too"}
        )
        SlackMessage.objects.create(key="after", kind="x", text="the caller goes on")

    texts = dict(SlackMessage.objects.values_list("key", "text"))
    assert texts == {"left:1": "theirs", "left:2": "ours too", "after": "the caller goes on"}
    assert sorted(message.key for message in posted) == ["left:1", "left:2"]
    queued = Job.objects.filter(task="messaging.tasks.slack_message_send_task")
    assert sorted(queued.values_list("args", flat=True)) == sorted(
        [[message.pk] for message in SlackMessage.objects.filter(key__startswith="left:")]
    )
