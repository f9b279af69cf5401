"""Stretch assignment pages: browse, detail (apply, withdraw, decide, complete),
post one, and my own. Open assignments are public within the company; the
applicants are shown to the poster and the people team only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.paging import page_of
from people import access
from people.errors import ApplicationError

from .. import policies
from ..filters import StretchFilter
from ..forms import StretchApplyForm, StretchAssignmentForm, StretchCompleteForm
from ..models import StretchAssignment, StretchParticipation
from ..selectors import commitments
from ..selectors import stretch as selectors
from ..services import stretch as services

Participation = StretchParticipation
PAGE_SIZE = 20


def _add_error(form: forms.Form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- browsing ----------------------------------------------------------------------


@login_required
def stretch_list(request):
    stretch_filter = StretchFilter(request.GET, queryset=selectors.stretch_open_list())
    page, query = page_of(request, stretch_filter.qs, PAGE_SIZE)
    return render(
        request,
        "ladders/stretchassignment_list.html",
        {
            "filter": stretch_filter,
            "page": page,
            "query": query,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_post": policies.can_post_stretch(request.user),
        },
    )


def _assignment(assignment_id: int) -> "selectors.StretchWithSeats":
    return access.found_or_404(
        lambda: selectors.stretch_get(assignment_id=assignment_id), StretchAssignment.DoesNotExist
    )


@login_required
@require_http_methods(["GET", "POST"])
def stretch_detail(request, assignment_id: int):
    """The assignment; POST applies with a motivation."""
    assignment = _assignment(assignment_id)
    form = StretchApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stretch_apply(
                assignment=assignment,
                person=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ApplicationError as error:
            _add_error(form, error)
            assignment = _assignment(assignment.pk)  # seats may have changed meanwhile
        else:
            messages.success(
                request,
                f"You applied to “{assignment}”. Your application holds a seat until "
                f"{assignment.posted_by} accepts or declines it.",
            )
            return redirect("ladders:stretch_detail", assignment_id=assignment.pk)
    return _render_detail(request, assignment, apply_form=form)


def _render_detail(request, assignment, *, apply_form=None, complete_form=None, complete_for=None):
    can_decide = policies.can_decide_stretch(request.user, assignment)
    mine = selectors.participation_for(assignment=assignment, person=request.user)
    return render(
        request,
        "ladders/stretchassignment_detail.html",
        {
            "assignment": assignment,
            "mine": mine,
            "may_apply": _may_apply(request.user, assignment, mine),
            "is_over": assignment.ends_on < timezone.localdate(),
            "apply_form": apply_form or StretchApplyForm(),
            "commitments": commitments.active_commitments(person=request.user),
            "commitment_limit": commitments.commitment_limit(),
            "can_decide": can_decide,
            "applicants": list(selectors.stretch_applicants(assignment=assignment))
            if can_decide
            else None,
            "complete_form": complete_form,
            "complete_for": complete_for,
        },
    )


def _may_apply(user, assignment: "selectors.StretchWithSeats", mine: Participation | None) -> bool:
    """Whether to offer the form; the service has the final word."""
    if assignment.posted_by_id == user.pk or assignment.status != StretchAssignment.Status.OPEN:
        return False
    if assignment.ends_on < timezone.localdate() or assignment.seats_left <= 0:
        return False
    return mine is None or mine.status == Participation.Status.WITHDRAWN


# --- actions on a participation ------------------------------------------------------


def _participation(participation_id: int) -> Participation:
    return access.found_or_404(
        lambda: selectors.stretch_participation_get(participation_id=participation_id),
        Participation.DoesNotExist,
    )


def _back(participation: Participation):
    return redirect("ladders:stretch_detail", assignment_id=participation.assignment_id)


@login_required
@require_POST
def stretch_withdraw(request, participation_id: int):
    participation = _participation(participation_id)
    access.require(participation.person_id == request.user.pk)
    try:
        services.stretch_withdraw(participation=participation, person=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"You withdrew from “{participation.assignment}”: your seat is free again."
        )
    return _back(participation)


@login_required
@require_POST
def stretch_decide(request, participation_id: int):
    participation = _participation(participation_id)
    access.require(policies.can_decide_stretch(request.user, participation.assignment))
    decision = request.POST.get("decision")
    if decision not in {"accept", "decline"}:
        messages.error(request, "Choose accept or decline.")
        return _back(participation)
    try:
        services.stretch_decide(
            participation=participation, decided_by=request.user, accept=decision == "accept"
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        person = participation.person
        if decision == "accept":
            messages.success(request, f"You accepted {person} on “{participation.assignment}”.")
        else:
            messages.success(request, f"You declined {person}'s application: the seat is free.")
    return _back(participation)


@login_required
@require_POST
def stretch_complete(request, participation_id: int):
    participation = _participation(participation_id)
    assignment = participation.assignment
    access.require(policies.can_decide_stretch(request.user, assignment))
    form = StretchCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.stretch_complete(
                participation=participation, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ApplicationError as error:
            if error.field is None:
                messages.error(request, error.message)
                return _back(participation)
            _add_error(form, error)
        else:
            messages.success(
                request,
                f"{participation.person} completed “{assignment}”. The outcome is now "
                "evidence their assessments can cite.",
            )
            return _back(participation)
    return _render_detail(
        request,
        _assignment(assignment.pk),
        complete_form=form,
        complete_for=participation.pk,
    )


# --- posting and my own ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stretch_create(request):
    access.require(policies.can_post_stretch(request.user))
    form = StretchAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.stretch_post(posted_by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"“{assignment}” is posted: colleagues can now apply.")
            return redirect("ladders:stretch_detail", assignment_id=assignment.pk)
    return render(request, "ladders/stretchassignment_form.html", {"form": form})


@login_required
def stretch_mine(request):
    participations = list(selectors.stretch_participations_for(person=request.user))
    by_status: dict[str, list[Participation]] = {}
    for participation in participations:
        by_status.setdefault(participation.status, []).append(participation)
    status = Participation.Status
    return render(
        request,
        "ladders/stretchparticipation_list.html",
        {
            "waiting": by_status.get(status.APPLIED, []),
            "on": by_status.get(status.ACCEPTED, []),
            "completed": by_status.get(status.COMPLETED, []),
            "closed": by_status.get(status.DECLINED, []) + by_status.get(status.WITHDRAWN, []),
            "posted": list(selectors.stretch_posted_by(person=request.user)),
            "can_post": policies.can_post_stretch(request.user),
            "commitments": commitments.active_commitments(person=request.user),
            "commitment_limit": commitments.commitment_limit(),
        },
    )
