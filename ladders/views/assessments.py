"""Assessment pages: a person's assessments, filling in one side, the
side-by-side review, finalising, and what the viewer still has to do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from people import access
from people.errors import ApplicationError

from .. import policies
from ..forms import AssessmentRequestForm, AssessmentSideForm, FinaliseForm
from ..models import Assessment, Rating, Side
from ..selectors import assessments as selectors
from ..services.assessments import (
    MissingRatings,
    assessment_finalise,
    assessment_save_side,
    assessment_start,
)
from ..services.requests import assessment_request

SIDE_NAMES = {Side.SELF: "Self-assessment", Side.MANAGER: "Manager's assessment"}


# --- a person's assessments ------------------------------------------------------------


@login_required
def assessment_list(request, person_id: int):
    person = access.person_or_404(request.user, person_id, policies.can_view_growth)
    return _render_list(request, person, AssessmentRequestForm())


def _render_list(request, person, request_form, status=200):
    viewer = request.user
    assessments = list(selectors.assessment_list(person=person))
    open_one = next((a for a in assessments if a.status != Assessment.Status.FINAL), None)
    is_self = person.pk == viewer.pk
    return render(
        request,
        "ladders/assessment_list.html",
        {
            "person": person,
            "assessments": assessments,
            "open_assessment": open_one,
            "is_self": is_self,
            "can_start": open_one is None and policies.can_start_assessment(viewer, person),
            "can_request": open_one is None and policies.can_request_assessment(viewer, person),
            "open_request": selectors.open_request(person=person) if is_self else None,
            "request_form": request_form,
        },
        status=status,
    )


@login_required
@require_POST
def assessment_request_view(request, person_id: int):
    """The person asks their manager for an assessment; the manager is emailed."""
    person = access.person_or_404(request.user, person_id, policies.can_view_growth)
    access.require(policies.can_request_assessment(request.user, person))
    form = AssessmentRequestForm(request.POST)
    if form.is_valid():
        try:
            asked = assessment_request(person=person, note=form.cleaned_data["note"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{asked.manager} is told by email that you asked for an assessment."
            )
            return redirect("ladders:assessment_list", person_id=person.pk)
    return _render_list(request, person, form, status=400)


@login_required
@require_POST
def assessment_start_view(request, person_id: int):
    person = access.person_or_404(request.user, person_id, policies.can_view_growth)
    try:
        assessment = assessment_start(person=person, started_by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("ladders:assessment_list", person_id=person.pk)
    if person.pk == request.user.pk:
        started = (
            f"Self-assessment started. {assessment.manager} is told by email and writes "
            "the manager's side."
        )
    else:
        started = (
            f"Assessment started. {person} and {assessment.manager} can now fill in their sides."
        )
    messages.success(request, started)
    return redirect("ladders:assessment_detail", assessment_id=assessment.pk)


# --- one assessment ----------------------------------------------------------------------


def _visible_assessment(request, assessment_id: int) -> Assessment:
    return access.found_or_404(
        lambda: selectors.assessment_get(assessment_id=assessment_id),
        Assessment.DoesNotExist,
        lambda assessment: policies.can_view_assessment(request.user, assessment),
    )


def _participant_side(viewer, assessment: Assessment) -> str | None:
    if policies.writes_self_side(viewer, assessment):
        return Side.SELF
    if policies.writes_manager_side(viewer, assessment):
        return Side.MANAGER
    return None


def _stretch_label(participation) -> str:
    title = participation.assignment.title
    if participation.completed_at is None:
        return title
    return f"{title} (completed {participation.completed_at:%B %Y})"


def _side_form(request, assessment, sheet, side):
    choices = [
        (p.pk, _stretch_label(p)) for p in selectors.completed_stretches(person=assessment.person)
    ]
    data = request.POST if request.method == "POST" else None
    return AssessmentSideForm(data, rows=sheet.rows, side=side, stretch_choices=choices)


def _render_detail(request, assessment, *, form=None, finalise_form=None):
    viewer = request.user
    sides = policies.readable_sides(viewer, assessment)
    sheet = selectors.assessment_sheet(assessment=assessment, sides=sides)
    writable = policies.writable_side(viewer, assessment)
    if writable and form is None:
        form = _side_form(request, assessment, sheet, writable)
    if policies.can_finalise(viewer, assessment) and finalise_form is None:
        finalise_form = FinaliseForm()
    participant = _participant_side(viewer, assessment)
    return render(
        request,
        "ladders/assessment_detail.html",
        {
            "assessment": assessment,
            "sheet": sheet,
            "form": form,
            "writable_side": writable,
            "participant_side": participant,
            "shown_sides": [(side, SIDE_NAMES[side]) for side in sides],
            "both_shown": len(sides) == 2,
            "finalise_form": finalise_form,
            "scale": Rating.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, assessment_id: int):
    assessment = _visible_assessment(request, assessment_id)
    if request.method == "GET":
        return _render_detail(request, assessment)
    side = _participant_side(request.user, assessment)
    if side is None:
        messages.error(
            request, f"Only {assessment.person} and {assessment.manager} write this assessment."
        )
        return redirect("ladders:assessment_detail", assessment_id=assessment.pk)
    if policies.writable_side(request.user, assessment) is None:
        messages.error(
            request, "Your side is submitted or the assessment is final; it can no longer change."
        )
        return redirect("ladders:assessment_detail", assessment_id=assessment.pk)
    sheet = selectors.assessment_sheet(assessment=assessment, sides=[side])
    form = _side_form(request, assessment, sheet, side)
    if not form.is_valid():
        messages.error(request, "Some answers need fixing; see the marked fields.")
        return _render_detail(request, assessment, form=form)
    submit = request.POST.get("action") == "submit"
    try:
        assessment = assessment_save_side(
            assessment=assessment,
            side=side,
            author=request.user,
            ratings=form.ratings(),
            submit=submit,
        )
    except MissingRatings as error:
        # Keep what was typed as a draft, so nothing is lost if they leave the page.
        assessment_save_side(
            assessment=assessment,
            side=side,
            author=request.user,
            ratings=form.ratings(),
            submit=False,
        )
        form.flag_missing(error.competencies)
        messages.error(request, f"{error.message} Your answers are saved as a draft.")
        return _render_detail(request, assessment, form=form)
    except ApplicationError as error:
        messages.error(request, error.message)
        if policies.writable_side(request.user, assessment) is None:
            return redirect("ladders:assessment_detail", assessment_id=assessment.pk)
        return _render_detail(request, assessment, form=form)
    messages.success(request, _saved_message(assessment, side, submit))
    return redirect("ladders:assessment_detail", assessment_id=assessment.pk)


def _saved_message(assessment: Assessment, side: str, submit: bool) -> str:
    if not submit:
        return "Draft saved. Nobody else sees it until you submit."
    if assessment.status == Assessment.Status.REVIEW:
        return "Submitted. Both sides are in: compare them below."
    other = assessment.manager if side == Side.SELF else assessment.person
    return f"Submitted. You will see {other}'s side once they submit theirs."


@login_required
@require_POST
def assessment_finalise_view(request, assessment_id: int):
    assessment = _visible_assessment(request, assessment_id)
    form = FinaliseForm(request.POST)
    valid = form.is_valid()
    if not valid and policies.can_finalise(request.user, assessment):
        # e.g. a summary over the limit: shown again with what was typed
        messages.error(request, "The summary needs fixing; see the marked field.")
        return _render_detail(request, assessment, finalise_form=form)
    try:
        assessment_finalise(
            assessment=assessment,
            manager=request.user,
            summary=form.cleaned_data["summary"] if valid else "",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("ladders:assessment_detail", assessment_id=assessment.pk)
    messages.success(request, "Assessment finalised. It is now read-only history.")
    return redirect("ladders:assessment_detail", assessment_id=assessment.pk)


# --- what the viewer has to do ---------------------------------------------------------


@login_required
def assessment_todo(request):
    return render(
        request,
        "ladders/assessment_todo.html",
        {
            "todos": selectors.assessment_todo(viewer=request.user),
            "requests": selectors.requests_waiting(manager=request.user),
        },
    )
