"""Leavers: the list with each offboarding checklist's progress, and one
checklist to tick. The people team sees every leaver, a manager the people
under them; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from people import access
from people.errors import ApplicationError

from .. import policies
from ..models import OffboardingChecklist, OffboardingTask
from ..selectors import offboarding as selectors
from ..services.offboarding import offboarding_task_mark

LEAVERS_PER_PAGE = 50


@login_required
@require_GET
def leavers(request):
    checklists = selectors.leavers_visible_to(request.user)
    people_team = access.is_people_team(request.user)
    access.require(people_team or checklists.exists())
    listed = selectors.with_progress(checklists, today=timezone.localdate())
    page = Paginator(listed, LEAVERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/leavers.html",
        {"rows": selectors.leaver_rows(page.object_list), "page": page, "people": people_team},
    )


def _visible_checklist(request, checklist_id: int) -> OffboardingChecklist:
    checklist = (
        OffboardingChecklist.objects.select_related("leaver__team", "leaver__manager")
        .filter(pk=checklist_id)
        .first()
    )
    if checklist is None or not policies.can_view_offboarding(request.user, checklist.leaver):
        raise access.not_found()
    return checklist


@login_required
@require_GET
def checklist_detail(request, checklist_id: int):
    checklist = _visible_checklist(request, checklist_id)
    tasks = selectors.checklist_tasks(checklist)
    done = sum(task.status == OffboardingTask.Status.DONE for task in tasks)
    return render(
        request,
        "onboarding/offboarding_detail.html",
        {
            "checklist": checklist,
            "tasks": tasks,
            "progress": selectors.Progress(done=done, total=len(tasks)),
            "today": timezone.localdate(),
            "can_tick": checklist.status != OffboardingChecklist.Status.CANCELLED,
            "pairings_left": (
                selectors.pairings_left_by(checklist.leaver)
                if access.is_people_team(request.user)
                else []
            ),
        },
    )


@login_required
@require_POST
def task_mark(request, task_id: int):
    task = get_object_or_404(OffboardingTask.objects.select_related("checklist"), pk=task_id)
    checklist = _visible_checklist(request, task.checklist_id)
    done = request.POST.get("done") == "1"
    try:
        offboarding_task_mark(task=task, by=request.user, done=done)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{task.title}” {'done' if done else 'open again'}.")
    return redirect("onboarding:offboarding_detail", checklist.pk)
