"""The daily beat that carries each cycle along its dates: open sign-ups,
close them and start matching, start the rotation, check in mid-way, close
it and ask for feedback. Running it twice on the same day does nothing more."""

import datetime as dt
import logging

from django.db import transaction

from core.jobs import job_enqueue
from people.errors import ApplicationError

from ..models import RotationCycle
from .cycles import cycle_move
from .matching_run import cycle_close_and_match
from .notifications import emails_outstanding

logger = logging.getLogger(__name__)

Status = RotationCycle.Status

# A cycle closed this recently whose feedback emails are not all recorded gets
# them (again) enqueued: covers a cycle closed by hand in the admin and a task
# lost with its worker, without ever mailing about long-finished cycles.
FEEDBACK_CATCH_UP = dt.timedelta(days=14)


def cycles_advance(*, today: dt.date) -> list[str]:
    """Move every cycle whose date has come; return what was done, in words.

    Steps run in the cycle's own order, so a beat that missed days catches up
    (a published cycle whose dates passed unseen starts, then closes). A draft
    whose sign-up window has already passed stays a draft: opening it for no
    days at all would only start an empty match; its dates need fixing."""
    done: list[str] = []
    for cycle_id in _due(Status.DRAFT, signup_opens_on__lte=today, signup_closes_on__gte=today):
        done += _move(cycle_id, Status.DRAFT, Status.OPEN, "opened for sign-up")
    for cycle_id in _due(Status.OPEN, signup_closes_on__lt=today):
        done += _move(cycle_id, Status.OPEN, Status.MATCHING, "sign-ups closed, matching started")
    for cycle_id in _due(Status.PUBLISHED, starts_on__lte=today):
        done += _move(cycle_id, Status.PUBLISHED, Status.ACTIVE, "started")
    for cycle_id in _due(Status.ACTIVE, ends_on__lt=today):
        done += _move(cycle_id, Status.ACTIVE, Status.CLOSED, "closed")
    done += _checkins_due(today)
    done += _feedback_due(today)
    return done


def _due(status: str, **dates) -> list[int]:
    return list(
        RotationCycle.objects.filter(status=status, **dates)
        .order_by("signup_opens_on", "pk")
        .values_list("pk", flat=True)
    )


def _move(cycle_id: int, from_status: str, to_status: str, what: str) -> list[str]:
    """One cycle, one transaction: a refusal for one cycle leaves the others moving."""
    try:
        with transaction.atomic():
            # Race condition: a second beat or an admin may have moved it since
            # _due read it; lock the row and re-check its status.
            cycle = (
                RotationCycle.objects.select_for_update()
                .filter(pk=cycle_id, status=from_status)
                .first()
            )
            if cycle is None:
                return []
            if to_status == Status.MATCHING:
                cycle_close_and_match(cycle=cycle, by=None)
            else:
                cycle_move(cycle=cycle, to=to_status, by=None)
    except ApplicationError as error:
        logger.warning("Cycle %s was not %s: %s", cycle_id, what, error.message)
        return []
    return [f"{cycle}: {what}"]


def _checkins_due(today: dt.date) -> list[str]:
    """From the middle of the cycle to its end, until everyone has been asked."""
    done = []
    for cycle in RotationCycle.objects.filter(status=Status.ACTIVE, ends_on__gte=today):
        if cycle.checkin_on <= today and emails_outstanding(cycle=cycle, event="checkin"):
            job_enqueue("mentorship.tasks.checkins_send_task", cycle.pk)
            done.append(f"{cycle}: check-ins requested")
    return done


def _feedback_due(today: dt.date) -> list[str]:
    done = []
    recent = RotationCycle.objects.filter(
        status=Status.CLOSED, ends_on__gte=today - FEEDBACK_CATCH_UP
    )
    for cycle in recent:
        if emails_outstanding(cycle=cycle, event="feedback"):
            job_enqueue("mentorship.tasks.feedback_request_task", cycle.pk)
            done.append(f"{cycle}: feedback requested")
    return done
