"""The health endpoint for operators and load balancers, and the people
team's page about background work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .access import is_people_team
from .errors import ApplicationError
from .jobs import job_retry
from .models import Job
from .selectors import background_status, jobs_failed, jobs_recent, jobs_stuck, task_title


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 while the web can serve (its database answers), 503 otherwise; the
    body says what else is wrong ("degraded"): broker, beat and workers, failures.
    It names no person and no record, so it needs no sign-in."""
    status = background_status()
    database_ok = status.checks[0].ok
    overall = "ok" if status.healthy else ("degraded" if database_ok else "down")
    body = {
        "status": overall,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in status.checks},
        "jobs": {
            "waiting": status.waiting,
            "running": status.running,
            "failed": status.failed,
            "oldest_waiting_seconds": status.oldest_waiting_seconds,
        },
    }
    return JsonResponse(body, status=200 if database_ok else 503)


def _require_people_team(request: HttpRequest) -> None:
    # Like every page: someone who may not see it gets the same 404 as a wrong address.
    if not is_people_team(request.user):
        raise Http404("No such page.")


@login_required
@require_GET
def background(request: HttpRequest) -> HttpResponse:
    _require_people_team(request)
    status = background_status()
    failed = [(job, task_title(job.task)) for job in jobs_failed()]
    stuck = [(job, task_title(job.task)) for job in jobs_stuck()]
    recent = [(job, task_title(job.task)) for job in jobs_recent()]
    by_task = [{**row, "title": task_title(row["task"])} for row in status.by_task]
    return render(
        request,
        "core/background.html",
        {
            "status": status,
            "failed": failed,
            "stuck": stuck,
            "recent": recent,
            "by_task": by_task,
        },
    )


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_people_team(request)
    try:
        job = job_retry(job_id=job_id)
    except ApplicationError as error:
        messages.error(request, error.message)
    except Job.DoesNotExist:
        raise Http404("No such page.") from None
    else:
        messages.success(request, f"{task_title(job.task)} (job #{job.pk}) will run again.")
    return redirect("core:background")
