"""A durable record of background work: the job outbox.

A change that decides to do something later (send an invitation, compute a
match run, email published pairs) writes a Job row in its own transaction.
The row, not the broker message, is the promise: the relay (re)sends it to
Celery until a worker has finished it, however long the broker was away."""

from django.db import models
from django.utils import timezone


class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    task = models.CharField(max_length=200, help_text="The Celery task the job runs.")
    args = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker started it.")
    sends = models.PositiveIntegerField(default=0, help_text="Times it was sent to the broker.")
    available_at = models.DateTimeField(
        default=timezone.now, help_text="From when the relay (re)sends it to the broker."
    )
    leased_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A running job's worker renews this; past it, another takes over.",
    )
    worker = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "available_at"], name="core_job_due"),
            models.Index(fields=["status", "leased_until"], name="core_job_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.get_status_display().lower()})"


class Heartbeat(models.Model):
    """When a periodic piece of the background last ran, and where: the health
    page reads beat's and the workers' pulse from here."""

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
