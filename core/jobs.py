"""Durable background work: record a job with the change that causes it,
relay it to Celery, run it under a lease.

- ``job_enqueue`` writes the Job row in the caller's transaction and, once
  that commits, tries to send it at once (the send already recorded on the
  row, so it costs no write). A broker that is down costs nothing but a log
  line and one update: the row is due for the relay. ``jobs_enqueue``
  records many jobs of one task in one batched INSERT (a few on SQLite,
  which limits the parameters of one statement).
- ``jobs_relay`` (beat, every JOBS_RELAY_SECONDS) sends every job that is
  due: waiting ones not yet sent or sent long ago (a message lost with a
  restarted Redis), and running ones whose lease ran out (a dead worker).
- ``job_run`` (the worker) claims the row with a conditional UPDATE, keeps
  a lease on it while the task runs, and records the outcome. Tasks are
  safe to run twice, so a job sent twice is harmless.

Retries: transient errors (broker, SMTP, a database hiccup) wait and run
again; anything else fails the job at once with its reason, for the people
team to see on the background page and retry.
"""

import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .errors import ApplicationError
from .models import Heartbeat, Job

logger = logging.getLogger(__name__)

RUN_TASK = "core.tasks.job_run_task"
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    SMTPException,
    ConnectionError,
    TimeoutError,
    BrokerError,
    OperationalError,
)
try:  # the Redis client's connection errors are not builtin ConnectionErrors
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    TRANSIENT_ERRORS += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis ships with celery[redis]
    pass

# Sending to the broker: any socket error too, since a request must not fail.
SEND_ERRORS: tuple[type[BaseException], ...] = (OSError, *TRANSIENT_ERRORS)
Status = Job.Status


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


_importing_tasks = threading.Lock()


def task_named(name: str):
    """The registered Celery task, importing every app's tasks.py first if
    this process has not yet (a web process only imports what it uses)."""
    if name not in current_app.tasks:
        # One thread imports; the others wait for it instead of looking up a
        # task whose module another thread is halfway through importing.
        with _importing_tasks:
            if name not in current_app.tasks:
                current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- recording and sending --------------------------------------------------------------


def job_enqueue(task: str, *args) -> Job:
    """Record that ``task(*args)`` must run, in the caller's transaction, and
    send it once that commits. ``args`` must be JSON: ids, not objects.

    The first send is recorded with the job itself (sent once, not due
    again for a while), so the send after the commit costs the broker only:
    no second write and commit per request, which was most of what a job
    added to a request (a SCIM create). A send that fails makes the job due
    again at once, for the relay. Should the process die between the commit
    and the send, the relay sends it when the recorded send would be
    repeated (JOBS_RESEND_SECONDS)."""
    job = Job.objects.create(
        task=task, args=list(args), sends=1, available_at=timezone.now() + _resend_after(0)
    )
    job_id = job.pk
    transaction.on_commit(lambda: _send_first(job_id), robust=True)
    return job


def jobs_enqueue(task: str, args_of_each: Iterable[Sequence[Any]]) -> list[Job]:
    """``job_enqueue`` for many jobs of one task in one batched INSERT: one
    job per item still (each retried or failed on its own), but a batch of a
    thousand leavers costs one query on PostgreSQL (a dozen on SQLite, which
    caps a statement's parameters), not a thousand."""
    available_at = timezone.now() + _resend_after(0)
    jobs = Job.objects.bulk_create(
        [
            Job(task=task, args=list(args), sends=1, available_at=available_at)
            for args in args_of_each
        ],
        batch_size=1000,
    )
    job_ids = [job.pk for job in jobs]
    if job_ids:
        transaction.on_commit(lambda: _send_first_each(job_ids), robust=True)
    return jobs


def _send_first_each(job_ids: list[int]) -> None:
    for job_id in job_ids:
        _send_first(job_id)


def _send_first(job_id: int) -> None:
    if not _publish(job_id):
        Job.objects.filter(pk=job_id, status=Status.PENDING, sends=1).update(
            sends=0, available_at=timezone.now()
        )


def job_send(*, job_id: int, sends: int | None = None) -> bool:
    """Hand one job to the broker and record the send; False (and the job
    left as it was) when the broker cannot be reached. `sends`: how often it
    was sent before, if the caller knows (saves a query)."""
    if not _publish(job_id):
        return False
    if sends is None:
        sends = Job.objects.filter(pk=job_id).values_list("sends", flat=True).first() or 0
    # Sent, but a broker can still lose it (Redis restarted empty): send it
    # again if no worker has claimed it by then, waiting longer each time so a
    # long queue is not flooded with copies.
    Job.objects.filter(pk=job_id, status=Status.PENDING).update(
        sends=F("sends") + 1, available_at=timezone.now() + _resend_after(sends)
    )
    return True


def _resend_after(sends: int) -> timedelta:
    return timedelta(seconds=settings.JOBS_RESEND_SECONDS * 2 ** min(sends, 5))


def _publish(job_id: int) -> bool:
    """Never raises for a broker outage: a request must not fail because of
    it, the relay sends the job later. Celery publishes through its pool of
    broker connections and producers (broker_pool_limit), so a send reuses
    an open connection."""
    try:
        current_app.tasks[RUN_TASK].apply_async(args=(job_id,), retry=False)
    except SEND_ERRORS as error:
        logger.warning("Job %s not sent, the relay will send it later: %s", job_id, error)
        return False
    return True


def jobs_due(*, now=None):
    now = now or timezone.now()
    return Job.objects.filter(
        Q(status=Status.PENDING, available_at__lte=now)
        | Q(status=Status.RUNNING, leased_until__lt=now)
    ).order_by("available_at", "pk")


def jobs_relay(*, limit: int = 1000) -> int:
    """Send every job that is due; stop at the first broker failure. Returns
    how many were sent. Also the pulse the health page reads."""
    Heartbeat.objects.update_or_create(
        name="relay", defaults={"at": timezone.now(), "detail": worker_name()}
    )
    sent = 0
    for job_id, sends in list(jobs_due().values_list("pk", "sends")[:limit]):
        if not job_send(job_id=job_id, sends=sends):
            break
        sent += 1
    return sent


# --- running ------------------------------------------------------------------------------


def job_run(*, job_id: int) -> str:
    """Claim the job and run its task; returns what happened (for logs and tests)."""
    job = _claim(job_id)
    if job is None:
        return "not claimed"
    task = task_named(job.task)
    if task is None:
        _finish(job, Status.FAILED, f"No task called {job.task} (was it renamed?).")
        return "failed"
    with _lease_kept(job.pk):
        try:
            task.run(*job.args)
        except TRANSIENT_ERRORS as error:
            return _retry_later(job, error)
        except Exception as error:
            logger.exception("Job %s (%s) failed", job.pk, job.task)
            _finish(job, Status.FAILED, _describe(error))
            return "failed"
    _finish(job, Status.DONE, "")
    return "done"


def _claim(job_id: int) -> Job | None:
    """Waiting, or running under a lease nobody renewed (its worker died):
    exactly one worker's UPDATE matches."""
    now = timezone.now()
    claimable = Q(status=Status.PENDING) | Q(status=Status.RUNNING, leased_until__lt=now)
    claimed = (
        Job.objects.filter(claimable, pk=job_id)
        .filter(attempts__lt=settings.JOBS_MAX_ATTEMPTS)
        .update(
            status=Status.RUNNING,
            attempts=F("attempts") + 1,
            leased_until=now + _lease(),
            started_at=now,
            worker=worker_name(),
        )
    )
    if not claimed:
        _fail_if_worn_out(job_id, claimable)
        return None
    return Job.objects.get(pk=job_id)


def _fail_if_worn_out(job_id: int, claimable: Q) -> None:
    """A job whose workers keep dying (out of memory...) stops at the limit."""
    Job.objects.filter(claimable, pk=job_id, attempts__gte=settings.JOBS_MAX_ATTEMPTS).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        last_error=f"Stopped after {settings.JOBS_MAX_ATTEMPTS} attempts; "
        "the last worker stopped without finishing it.",
    )


@contextmanager
def _lease_kept(job_id: int) -> Iterator[None]:
    """Renew the lease from a thread while the task runs: a worker that dies
    stops renewing, and the relay hands the job to another one."""
    stop = threading.Event()
    every = max(settings.JOBS_LEASE_SECONDS / 3, 1)

    def renew() -> None:
        try:
            while not stop.wait(every):
                try:
                    Job.objects.filter(pk=job_id, status=Status.RUNNING).update(
                        leased_until=timezone.now() + _lease()
                    )
                except DatabaseError as error:  # SQLite busy with the task's own write
                    logger.warning("Lease of job %s not renewed: %s", job_id, error)
        finally:
            connection.close()

    renewer = threading.Thread(target=renew, name=f"lease-{job_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()


def _retry_later(job: Job, error: BaseException) -> str:
    if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
        _finish(job, Status.FAILED, f"Gave up after {job.attempts} attempts: {_describe(error)}")
        return "failed"
    wait = min(10 * 2 ** (job.attempts - 1), 600)
    # A service that says when to come back (Slack's 429 Retry-After) is heard.
    wait = max(wait, int(getattr(error, "retry_after", 0) or 0))
    Job.objects.filter(pk=job.pk).update(
        status=Status.PENDING,
        leased_until=None,
        last_error=f"Will retry: {_describe(error)}",
        available_at=timezone.now() + timedelta(seconds=wait),
        sends=0,
    )
    logger.warning("Job %s (%s) will retry in %s s: %s", job.pk, job.task, wait, error)
    return "retry"


def _finish(job: Job, status: str, error: str) -> None:
    Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=status, last_error=error, finished_at=timezone.now(), leased_until=None
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


# --- the people team's hand ------------------------------------------------------------------


@transaction.atomic
def job_retry(*, job_id: int) -> Job:
    """A failed job runs again from its first attempt."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status != Status.FAILED:
        raise ApplicationError(f"Job #{job.pk} is {job.get_status_display().lower()}, not failed.")
    job.status, job.attempts, job.sends = Status.PENDING, 0, 0
    job.available_at, job.finished_at = timezone.now(), None
    job.save(update_fields=["status", "attempts", "sends", "available_at", "finished_at"])
    transaction.on_commit(lambda: job_send(job_id=job_id), robust=True)
    return job
