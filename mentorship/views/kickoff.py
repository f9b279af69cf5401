"""Either side of a published pairing proposes another kick-off slot, from
their rotation page, in their own timezone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from people.errors import ApplicationError

from ..forms import KickoffForm
from ..services.kickoff import kickoff_propose
from .checkins import _pairing_for


@login_required
@require_POST
def kickoff_slot(request, pairing_id: int):
    pairing = _pairing_for(request.user, pairing_id)
    form = KickoffForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        messages.error(request, f"The kick-off did not move. {problems}")
        return redirect("mentorship:my_rotation")
    try:
        kickoff_propose(
            pairing=pairing,
            person=request.user,
            day=form.cleaned_data["day"],
            at=form.cleaned_data["at"],
        )
    except ApplicationError as error:
        messages.error(request, f"The kick-off did not move: {error.message}")
    else:
        messages.success(
            request,
            f"Kick-off moved to {form.cleaned_data['day']:%d %B %Y} at "
            f"{form.cleaned_data['at']:%H:%M} ({request.user.timezone}): you both get the "
            "updated invitation by email.",
        )
    return redirect("mentorship:my_rotation")
