"""Check-in and feedback pages of a published pairing. Only its two people
see them, and each sees only their own answers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from people import access
from people.errors import ApplicationError

from .. import policies
from ..forms import CheckInForm, FeedbackForm
from ..models import Pairing
from ..selectors import feedback as selectors
from ..services import feedback as services

# --- pages -------------------------------------------------------------------------


def _pairing_for(user, pairing_id: int) -> Pairing:
    return access.found_or_404(
        lambda: selectors.pairing_get(pairing_id=pairing_id),
        Pairing.DoesNotExist,
        lambda pairing: policies.is_pairing_participant(user, pairing),
    )


def _context(user, pairing: Pairing) -> dict:
    is_mentor = pairing.mentor.person_id == user.pk
    return {
        "pairing": pairing,
        "cycle": pairing.cycle,
        "is_mentor": is_mentor,
        "partner": pairing.mentee.person if is_mentor else pairing.mentor.person,
    }


def _add_error(form: forms.Form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, pairing_id: int):
    """GET shows the person's own check-in; POST records or changes it."""
    pairing = _pairing_for(request.user, pairing_id)
    mine = selectors.checkin_of(pairing=pairing, person=request.user)
    answered = mine if mine and mine.answered_at else None
    initial = {"mood": answered.mood, "note": answered.note} if answered else None
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_answer(pairing=pairing, person=request.user, **form.cleaned_data)
        except ApplicationError as error:
            if error.field is None:
                messages.error(request, error.message)
                return redirect("mentorship:checkin", pairing_id=pairing.pk)
            _add_error(form, error)
        else:
            messages.success(request, "Thank you: your check-in is saved. Only you can read it.")
            return redirect("mentorship:checkin", pairing_id=pairing.pk)
    return render(
        request,
        "mentorship/checkin_form.html",
        {
            **_context(request.user, pairing),
            "form": form,
            "answered": answered,
            "is_open": services.checkin_open(pairing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pairing_id: int):
    """GET shows the form, or the person's own answer once sent; POST sends it."""
    pairing = _pairing_for(request.user, pairing_id)
    mine = selectors.feedback_of(pairing=pairing, author=request.user)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            services.feedback_submit(pairing=pairing, author=request.user, **form.cleaned_data)
        except ApplicationError as error:
            if error.field is None:
                messages.error(request, error.message)
                return redirect("mentorship:feedback", pairing_id=pairing.pk)
            _add_error(form, error)
        else:
            messages.success(
                request, "Thank you: your feedback is sent. Nobody else can read your answers."
            )
            return redirect("mentorship:feedback", pairing_id=pairing.pk)
    elif request.method == "POST" and mine is not None:
        messages.error(request, "You already sent your feedback on this rotation.")
        return redirect("mentorship:feedback", pairing_id=pairing.pk)
    return render(
        request,
        "mentorship/feedback_form.html",
        {
            **_context(request.user, pairing),
            "form": form,
            "mine": mine,
            "is_open": services.feedback_open(pairing),
        },
    )
