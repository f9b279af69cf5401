"""The two Celery tasks behind durable jobs (see core/jobs.py)."""

from celery import shared_task

from .jobs import job_run, jobs_relay


@shared_task
def job_run_task(job_id: int) -> str:
    """Run one recorded job under a lease; a second copy finds it claimed."""
    return job_run(job_id=job_id)


@shared_task(ignore_result=True, expires=60)
def jobs_relay_task() -> int:
    """Beat: send every job that is due (new, lost with its broker, or whose
    worker died)."""
    return jobs_relay()
