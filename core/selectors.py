"""What the background is doing, for the health endpoint and the people team's page."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from .jobs import task_named
from .models import Heartbeat, Job

Status = Job.Status


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class BackgroundStatus:
    checks: list[Check]
    waiting: int
    running: int
    failed: int
    oldest_waiting: datetime | None
    by_task: list[dict[str, Any]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(check.ok for check in self.checks) and not self.failed

    @property
    def oldest_waiting_seconds(self) -> int | None:
        if self.oldest_waiting is None:
            return None
        return max(int((timezone.now() - self.oldest_waiting).total_seconds()), 0)


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Check("database", False, f"unreachable: {error}")
    return Check("database", True, connection.vendor)


def broker_check() -> Check:
    try:
        with current_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            transport = broker.transport_cls
    except Exception as error:
        return Check("broker", False, f"unreachable: {error}")
    return Check("broker", True, str(transport))


def sweep_check(*, now: datetime | None = None) -> Check:
    """Beat sends the relay every JOBS_RELAY_SECONDS and a worker runs it: a
    recent sweep shows that beat, the broker and a worker all work."""
    now = now or timezone.now()
    beat = Heartbeat.objects.filter(name="relay").first()
    if beat is None:
        return Check("beat and workers", False, "no sweep has run yet: start beat and a worker")
    age = int((now - beat.at).total_seconds())
    late = age > 4 * settings.JOBS_RELAY_SECONDS + 30
    detail = f"last sweep {age} s ago on {beat.detail}"
    return Check("beat and workers", not late, detail + (": late" if late else ""))


def background_status(*, probe_broker: bool = True) -> BackgroundStatus:
    checks = [database_check()]
    if probe_broker:
        checks.append(broker_check())
    checks.append(sweep_check())
    counts = dict(
        Job.objects.filter(status__in=[Status.PENDING, Status.RUNNING, Status.FAILED])
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    waiting = Job.objects.filter(status=Status.PENDING)
    by_task = [
        dict(row)
        for row in Job.objects.filter(status__in=[Status.PENDING, Status.RUNNING, Status.FAILED])
        .values("task", "status")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by("task", "status")
    ]
    return BackgroundStatus(
        checks=checks,
        waiting=counts.get(Status.PENDING, 0),
        running=counts.get(Status.RUNNING, 0),
        failed=counts.get(Status.FAILED, 0),
        oldest_waiting=waiting.aggregate(oldest=Min("created_at"))["oldest"],
        by_task=by_task,
    )


def jobs_failed(*, limit: int = 50):
    return Job.objects.filter(status=Status.FAILED).order_by("-finished_at", "-pk")[:limit]


def jobs_stuck(*, now: datetime | None = None):
    """Running, but nobody renewed the lease: the relay is about to hand them on."""
    now = now or timezone.now()
    return Job.objects.filter(status=Status.RUNNING, leased_until__lt=now).order_by("pk")


def jobs_recent(*, since: timedelta = timedelta(hours=24), limit: int = 50):
    return Job.objects.filter(created_at__gte=timezone.now() - since).order_by("-pk")[:limit]


def task_title(task: str) -> str:
    """The first line of the task's docstring: what the job does, in words."""
    registered = task_named(task)
    doc = (registered.__doc__ or "").strip() if registered else ""
    return doc.splitlines()[0].rstrip(".") if doc else task
