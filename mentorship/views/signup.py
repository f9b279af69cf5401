"""Sign-up pages: sign up to a cycle as mentor or mentee (or read why not),
edit until the window closes, withdraw. A sign-up is seen by the person,
their manager chain and the people team; only the person changes it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ladders.selectors.commitments import active_commitments, commitment_limit
from people import access
from people.errors import ApplicationError

from .. import policies
from ..forms import RANKS, MenteeSignUpForm, MentorSignUpForm
from ..models import Role, RotationCycle, SignUp
from ..selectors.eligibility import signup_eligibility, window_is_open
from ..selectors.signups import (
    signup_for,
    signup_get,
    suggested_goals,
)
from ..services import signups as services
from .cycle import visible_cycle


def _form(signup_role: str, data, *, cycle, person, initial=None, suggested=()):
    if signup_role == Role.MENTOR:
        form = MentorSignUpForm(data, cycle=cycle, initial=initial)
        form.fields["capacity"].help_text = _capacity_help(person)
        return form
    return MenteeSignUpForm(data, cycle=cycle, person=person, initial=initial, suggested=suggested)


def _capacity_help(person) -> str:
    """Capacity and the commitment limit: a rotation is one commitment however
    many mentees it brings (ladders/selectors/commitments.py), so the limit caps
    whether someone may mentor, not how many mentees they take."""
    count, limit = active_commitments(person=person), commitment_limit()
    return (
        f"Up to {services.MAX_CAPACITY}. Mentoring counts as one of your {limit} concurrent "
        f"commitments however many mentees you take; you are on {count} of {limit} now."
    )


def _add_error(form: forms.Form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    if error.field == "preferences":
        field = "preference_1"
    form.add_error(field, error.message)


# --- pages -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def signup_create(request, cycle_id: int, role: str):
    cycle = visible_cycle(request, cycle_id)
    if role not in Role.values:
        raise access.not_found()
    reasons = signup_eligibility(cycle=cycle, person=request.user, role=role)
    context = {"cycle": cycle, "role": role, "role_label": Role(role).label.lower()}
    if reasons:
        existing = signup_for(cycle=cycle, person=request.user)
        context.update(reasons=reasons, existing=existing)
        return render(request, "mentorship/signup_form.html", context)
    suggested = suggested_goals(person=request.user, cycle=cycle) if role == Role.MENTEE else []
    withdrawn = signup_for(cycle=cycle, person=request.user, status=SignUp.Status.WITHDRAWN)
    if withdrawn is not None and withdrawn.role == role:
        # Signing up again: what they typed before is still theirs to keep or change.
        initial = _initial_for_edit(withdrawn)
    else:
        initial = _initial_for_new(role, cycle, suggested)
    form = _form(
        role,
        request.POST or None,
        cycle=cycle,
        person=request.user,
        initial=initial,
        suggested=suggested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_create(
                cycle=cycle, person=request.user, role=role, **form.service_kwargs()
            )
        except ApplicationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _signed_up_message(cycle, role))
            return redirect("mentorship:my_rotation")
    context.update(form=form, suggested=suggested)
    return render(request, "mentorship/signup_form.html", context)


def _initial_for_new(role: str, cycle: RotationCycle, suggested) -> dict:
    if role == Role.MENTOR:
        return {"capacity": cycle.default_mentor_capacity, "hours_per_week": 2}
    return {"competencies": [c.pk for c in suggested]}


def _signed_up_message(cycle: RotationCycle, role: str) -> str:
    closes = cycle.signup_closes_on
    return (
        f"You signed up to {cycle} as a {Role(role).label.lower()}. You can change or "
        f"withdraw your sign-up until {closes.day} {closes:%B %Y}."
    )


def _visible_signup(request, signup_id: int) -> SignUp:
    return access.found_or_404(
        lambda: signup_get(signup_id=signup_id),
        SignUp.DoesNotExist,
        lambda signup: policies.can_view_signup(request.user, signup),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_edit(request, signup_id: int):
    """The person edits while the window is open; their managers and the
    people team (and the person, once it closed) read it."""
    signup = _visible_signup(request, signup_id)
    editable = (
        policies.can_change_signup(request.user, signup)
        and signup.status == SignUp.Status.ACTIVE
        and window_is_open(signup.cycle, request.user)
    )
    if not editable:
        if request.method == "POST":
            access.require(policies.can_change_signup(request.user, signup))
            messages.error(request, "This sign-up can no longer change.")
            return redirect("mentorship:signup_edit", signup_id=signup.pk)
        return render(request, "mentorship/signup_detail.html", {"signup": signup})
    cycle = signup.cycle
    suggested = (
        suggested_goals(person=request.user, cycle=cycle) if signup.role == Role.MENTEE else []
    )
    form = _form(
        signup.role,
        request.POST or None,
        cycle=cycle,
        person=request.user,
        initial=_initial_for_edit(signup),
        suggested=suggested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_update(signup=signup, by=request.user, **form.service_kwargs())
        except ApplicationError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"Your sign-up to {cycle} is saved.")
            return redirect("mentorship:my_rotation")
    context = {
        "cycle": cycle,
        "role": signup.role,
        "role_label": signup.get_role_display().lower(),
        "form": form,
        "signup": signup,
        "suggested": suggested,
    }
    return render(request, "mentorship/signup_form.html", context)


def _initial_for_edit(signup: SignUp) -> dict:
    initial = {
        "competencies": [c.pk for c in signup.competencies.all()],
        "goals": signup.goals,
        "capacity": signup.capacity,
        "project_title": signup.project_title,
        "project_outcome": signup.project_outcome,
        "hours_per_week": signup.hours_per_week,
    }
    for rank, preference in enumerate(signup.preferences.all(), start=1):
        if rank <= len(RANKS):
            initial[f"preference_{rank}"] = preference.mentor_id
    return initial


@login_required
@require_POST
def signup_withdraw(request, signup_id: int):
    signup = _visible_signup(request, signup_id)
    access.require(policies.can_change_signup(request.user, signup))
    try:
        services.signup_withdraw(signup=signup, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("mentorship:signup_edit", signup_id=signup.pk)
    messages.success(
        request,
        f"You withdrew from {signup.cycle}. You can sign up again while the window is open.",
    )
    return redirect("mentorship:my_rotation")
