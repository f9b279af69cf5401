"""Checklist pages: the new hire's plan week by week, tasks assigned to me,
the manager's new hires; and the actions on them (done, undo, confirm a
pairing, name a partner, change the buddy), POST only, each with a message."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from people import access
from people.errors import ApplicationError
from people.models import User
from people.selectors import report_ids

from .. import policies
from ..forms import BuddyForm
from ..models import Kind, OnboardingPlan, PlanTask
from ..selectors import assigned
from ..selectors import checklist as selectors
from ..services import buddies as buddy_services
from ..services import checklist as task_services


def _error_fields(error: ApplicationError, form: forms.Form) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _tasks_url() -> str:
    """The prefix of every task action ("/onboarding/tasks/"): the templates add
    "<id>/done/" and the like, instead of reversing a URL for every task."""
    return reverse("onboarding:my_tasks")


# --- pages -------------------------------------------------------------------------


@login_required
def my_checklist(request):
    """The new hire's own plan, or an empty state."""
    plan = selectors.plan_of(person=request.user)
    if plan is not None:
        return redirect("onboarding:plan_detail", plan_id=plan.pk)
    return render(request, "onboarding/plan_none.html")


def _plan(viewer, plan_id: int) -> OnboardingPlan:
    return access.found_or_404(
        lambda: selectors.plan_get(plan_id=plan_id),
        OnboardingPlan.DoesNotExist,
        lambda plan: policies.can_view_plan(viewer, plan),
    )


@login_required
def plan_detail(request, plan_id: int):
    return _render_plan(request, _plan(request.user, plan_id))


def _render_plan(request, plan, *, failed=None, buddy_form=None):
    viewer = request.user
    checklist = selectors.checklist_for(plan=plan, viewer=viewer)
    can_change_buddy = policies.can_change_buddy(viewer, plan)
    if can_change_buddy and buddy_form is None:
        buddy_form = BuddyForm(plan=plan)
    names_partners = policies.can_name_partner(viewer)
    return render(
        request,
        "onboarding/plan_detail.html",
        {
            "plan": plan,
            "checklist": checklist,
            "is_self": viewer.pk == plan.new_hire_id,
            "buddy_form": buddy_form if can_change_buddy else None,
            "names_partners": names_partners,
            "people": selectors.partner_choices() if names_partners else (),
            "failed": failed or {},
            "back": "plan",
            "tasks_url": _tasks_url(),
            "ticked": _ticked(request),
        },
    )


@login_required
def my_tasks(request):
    return _render_my_tasks(request)


def _render_my_tasks(request, *, failed=None):
    viewer = request.user
    tasks = assigned.my_tasks(viewer=viewer)
    return render(
        request,
        "onboarding/task_list.html",
        {
            "tasks": tasks,
            "plan_links": _plans_viewer_may_open(viewer, tasks),
            "recent_days": assigned.RECENT_DAYS,
            "failed": failed or {},
            "back": "tasks",
            "tasks_url": _tasks_url(),
            "ticked": _ticked(request),
        },
    )


def _plans_viewer_may_open(viewer, tasks) -> set[int]:
    """Plan ids to link to: one query for the viewer's reports, not one per plan."""
    plans = [group.plan for group in tasks.groups] + [r.task.plan for r in tasks.recently_done]
    if access.is_people_team(viewer):
        return {plan.pk for plan in plans}
    under = report_ids(manager_id=viewer.pk) if access.is_manager(viewer) else set()
    return {plan.pk for plan in plans if plan.new_hire_id in under | {viewer.pk}}


@login_required
def team_progress(request):
    return render(
        request,
        "onboarding/team_progress.html",
        {"rows": assigned.team_progress(manager=request.user)},
    )


# --- actions on a task -----------------------------------------------------------------


def _task(viewer, task_id: int) -> PlanTask:
    try:
        task = PlanTask.objects.select_related("plan__new_hire", "plan__buddy").get(pk=task_id)
    except PlanTask.DoesNotExist:
        raise access.not_found() from None
    # A pairing task is also the partner's (the buddy by default); any other task
    # of the plan is not the buddy's: 404, as for a task that does not exist.
    partner = task.kind == Kind.PAIRING and policies.pairing_side(viewer, task) is not None
    access.require(policies.can_view_task(viewer, task) or partner)
    return task


def _back(request, task: PlanTask):
    """Back where the action was taken, at the item itself (on the plan, or on
    tasks assigned to me): the person stays where they were, and the item
    shows what happened (see _ticked)."""
    if request.POST.get("back") == "tasks" or not policies.can_view_plan(request.user, task.plan):
        return redirect(reverse("onboarding:my_tasks") + f"#task-{task.pk}")
    return redirect(reverse("onboarding:plan_detail", args=[task.plan_id]) + f"#task-{task.pk}")


TICKED_KEY = "onboarding_ticked"


def _say(request, level: int, task: PlanTask, text: str) -> None:
    """A message at the top of the page and, once, beside the task (_ticked)."""
    messages.add_message(request, level, text)
    request.session[TICKED_KEY] = {
        "pk": task.pk,
        "text": text,
        "level": messages.DEFAULT_TAGS[level],
    }


def _ticked(request) -> dict:
    """The item the last action was about and what was said about it, so the
    page repeats it beside the item, where the person is looking (the message
    at the top is out of view after the jump to the item). Shown once."""
    return request.session.pop(TICKED_KEY, None) or {}


def _rerender(request, task: PlanTask, failed: dict):
    """Show the page again with what the person typed and the error beside it."""
    if request.POST.get("back") == "tasks" or not policies.can_view_plan(request.user, task.plan):
        return _render_my_tasks(request, failed=failed)
    return _render_plan(request, selectors.plan_get(plan_id=task.plan_id), failed=failed)


@login_required
@require_POST
def task_complete(request, task_id: int):
    task = _task(request.user, task_id)
    try:
        task_services.task_complete(task=task, by=request.user)
    except ApplicationError as error:
        _say(request, messages.ERROR, task, error.message)
    else:
        _say(request, messages.SUCCESS, task, f"Done: “{task.title}”.")
    return _back(request, task)


@login_required
@require_POST
def task_undo(request, task_id: int):
    task = _task(request.user, task_id)
    try:
        task = task_services.task_undo(task=task, by=request.user)
    except ApplicationError as error:
        _say(request, messages.ERROR, task, error.message)
    else:
        what = "Your confirmation is taken back" if task.kind == "pairing" else "Reopened"
        _say(request, messages.SUCCESS, task, f"{what}: “{task.title}”.")
    return _back(request, task)


@login_required
@require_POST
def pairing_confirm(request, task_id: int):
    task = _task(request.user, task_id)
    note = request.POST.get("note", "")
    try:
        task = task_services.pairing_confirm(task=task, person=request.user, note=note)
    except ApplicationError as error:
        if error.field == "note":
            return _rerender(
                request, task, {"task_id": task.pk, "note": note, "error": error.message}
            )
        _say(request, messages.ERROR, task, error.message)
    else:
        if task.status == PlanTask.Status.DONE:
            text = f"Pairing done: “{task.title}”. Both of you confirmed it."
        else:
            text = f"Confirmed: “{task.title}”. It is done once the other side confirms too."
        _say(request, messages.SUCCESS, task, text)
    return _back(request, task)


@login_required
@require_POST
def pairing_partner_set(request, task_id: int):
    task = _task(request.user, task_id)
    email = request.POST.get("partner", "").strip()
    partner = User.objects.filter(email__iexact=email).first() if email else None
    if partner is None:
        message = (
            f"Nobody here has the email address “{email}”."
            if email
            else "Enter the partner's email address."
        )
        return _rerender(
            request, task, {"task_id": task.pk, "partner": email, "partner_error": message}
        )
    try:
        task_services.pairing_partner_set(task=task, partner=partner, by=request.user)
    except ApplicationError as error:
        if error.field == "partner":
            return _rerender(
                request,
                task,
                {"task_id": task.pk, "partner": email, "partner_error": error.message},
            )
        messages.error(request, error.message)
    else:
        messages.success(request, f"{partner} now pairs with the new hire on “{task.title}”.")
    return _back(request, task)


# --- the buddy ---------------------------------------------------------------------------


@login_required
@require_POST
def buddy_change(request, plan_id: int):
    plan = _plan(request.user, plan_id)
    access.require(policies.can_change_buddy(request.user, plan))
    form = BuddyForm(request.POST, plan=plan)
    if form.is_valid():
        buddy = form.cleaned_data["buddy"]
        try:
            buddy_services.buddy_change(plan=plan, buddy=buddy, by=request.user)
        except ApplicationError as error:
            _error_fields(error, form)
        else:
            messages.success(
                request,
                f"{buddy} is now {plan.new_hire}'s buddy: their open buddy tasks moved to them.",
            )
            return redirect(reverse("onboarding:plan_detail", args=[plan.pk]) + "#people")
    return _render_plan(request, plan, buddy_form=form)
