"""Durable jobs (core/jobs.py): recorded with the change, sent when the broker
is there, run once under a lease, retried only when the error is transient."""

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.jobs import job_enqueue, job_retry, job_run, jobs_due, jobs_enqueue, jobs_relay
from core.models import Heartbeat, Job
from tests.core.processes import broker_at, spare_port

CALLS: list[tuple] = []
Status = Job.Status


@shared_task(name="tests.core.record")
def record(*args):
    """Record a call, for the tests."""
    CALLS.append(args)


@shared_task(name="tests.core.smtp_down")
def smtp_down():
    """Fail as an SMTP server that is away does."""
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@shared_task(name="tests.core.broken")
def broken():
    """Fail as a bug does."""
    raise KeyError("mentor_id")


@shared_task(name="tests.core.slow")
def slow(seconds):
    """Take a while."""
    time.sleep(seconds)


@pytest.fixture(autouse=True)
def no_calls():
    CALLS.clear()


@pytest.fixture
def broker_down():
    """Requests send to a Redis port where nothing listens."""
    with broker_at(f"redis://127.0.0.1:{spare_port()}/0"):
        yield


def make_job(task="tests.core.record", *args, **fields) -> Job:
    return Job.objects.create(task=task, args=list(args), **fields)


@pytest.mark.django_db
def test_it_records_nothing_when_the_change_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue("tests.core.record", 1)
        raise RuntimeError("the request failed after deciding")

    assert not Job.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_job_waiting_when_the_broker_is_down(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue("tests.core.record", 7)

    job.refresh_from_db()
    assert (job.status, job.sends) == (Status.PENDING, 0)
    assert list(jobs_due()) == [job]


@pytest.mark.django_db
def test_the_relay_sends_nothing_and_loses_nothing_while_the_broker_is_down(broker_down):
    make_job()

    assert jobs_relay() == 0
    assert Job.objects.get().status == Status.PENDING
    assert Heartbeat.objects.get(name="relay").at > timezone.now() - timedelta(seconds=5)


@pytest.mark.django_db
def test_the_relay_sends_due_jobs_and_waits_before_sending_them_again():
    job = make_job()

    assert jobs_relay() == 1
    job.refresh_from_db()
    assert job.sends == 1
    assert job.available_at > timezone.now() + timedelta(seconds=60)
    assert jobs_relay() == 0  # not due again until then


@pytest.mark.django_db
def test_it_runs_a_job_once_however_often_it_is_delivered():
    job = make_job("tests.core.record", 1, "a")

    assert job_run(job_id=job.pk) == "done"
    assert job_run(job_id=job.pk) == "not claimed"

    job.refresh_from_db()
    assert CALLS == [(1, "a")]
    assert (job.status, job.attempts, job.leased_until) == (Status.DONE, 1, None)


@pytest.mark.django_db
def test_a_transient_error_waits_and_runs_again(settings):
    job = make_job("tests.core.smtp_down")

    assert job_run(job_id=job.pk) == "retry"

    job.refresh_from_db()
    assert job.status == Status.PENDING
    assert job.last_error.startswith("Will retry: SMTPServerDisconnected")
    assert job.available_at > timezone.now()


@pytest.mark.django_db
def test_a_transient_error_fails_the_job_at_the_attempt_limit(settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = make_job("tests.core.smtp_down")

    assert [job_run(job_id=job.pk), job_run(job_id=job.pk)] == ["retry", "failed"]

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.last_error.startswith("Gave up after 2 attempts: SMTPServerDisconnected")


@pytest.mark.django_db
def test_any_other_error_fails_the_job_at_once_with_its_reason():
    job = make_job("tests.core.broken")

    assert job_run(job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.FAILED, 1)
    assert job.last_error == "KeyError: 'mentor_id'"


@pytest.mark.django_db
def test_a_job_for_a_task_that_no_longer_exists_fails_and_says_so():
    job = make_job("people.tasks.renamed_long_ago")

    assert job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.last_error == "No task called people.tasks.renamed_long_ago (was it renamed?)."


@pytest.mark.django_db
def test_a_failed_job_retried_by_the_people_team_runs_from_its_first_attempt(
    django_capture_on_commit_callbacks,
):
    job = make_job("tests.core.record", 3, status=Status.FAILED, attempts=8, last_error="boom")

    with django_capture_on_commit_callbacks(execute=False):
        job_retry(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.PENDING, 0)
    assert job_run(job_id=job.pk) == "done"
    assert CALLS == [(3,)]


@pytest.mark.django_db
def test_only_a_failed_job_can_be_retried():
    job = make_job(status=Status.RUNNING)

    with pytest.raises(ApplicationError, match="is running, not failed"):
        job_retry(job_id=job.pk)


@pytest.mark.django_db
def test_a_running_job_whose_lease_ran_out_is_due_and_taken_over():
    past = timezone.now() - timedelta(seconds=1)
    orphan = make_job("tests.core.record", 9, status=Status.RUNNING, attempts=1, leased_until=past)
    held = make_job(
        status=Status.RUNNING, attempts=1, leased_until=timezone.now() + timedelta(minutes=1)
    )

    assert list(jobs_due()) == [orphan]
    assert job_run(job_id=held.pk) == "not claimed"
    assert job_run(job_id=orphan.pk) == "done"
    orphan.refresh_from_db()
    assert (orphan.status, orphan.attempts, CALLS) == (Status.DONE, 2, [(9,)])


@pytest.mark.django_db
def test_a_job_whose_workers_keep_dying_stops_at_the_attempt_limit(settings):
    settings.JOBS_MAX_ATTEMPTS = 3
    past = timezone.now() - timedelta(seconds=1)
    job = make_job(status=Status.RUNNING, attempts=3, leased_until=past)

    assert job_run(job_id=job.pk) == "not claimed"

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "Stopped after 3 attempts" in job.last_error
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_a_running_job_is_never_due_while_its_worker_renews_the_lease(settings):
    settings.JOBS_LEASE_SECONDS = 2  # renewed every 0.67 s
    job = make_job("tests.core.slow", 4)
    seen_due = []

    def watch():
        try:
            for _ in range(30):
                if Job.objects.filter(pk=job.pk, status=Status.RUNNING).exists():
                    seen_due.append(jobs_due().filter(pk=job.pk).exists())
                time.sleep(0.1)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert job_run(job_id=job.pk) == "done"
    watcher.join()

    assert seen_due and not any(seen_due)


@pytest.mark.django_db
def test_many_jobs_of_one_task_are_recorded_in_one_query_and_sent_after_the_commit(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with (
        django_capture_on_commit_callbacks(execute=True) as sends,
        django_assert_num_queries(1),
    ):
        jobs = jobs_enqueue("tests.core.record", [[1], [2, "b"], [3]])
    assert [job.args for job in jobs] == [[1], [2, "b"], [3]]
    assert len(sends) == 1 and all(job.sends == 1 for job in Job.objects.all())
    assert jobs_enqueue("tests.core.record", []) == []
