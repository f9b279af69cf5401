"""A rotation cycle's status and the moves between them, for the admin and the
daily beat alike: draft -> open -> matching -> review -> published -> active ->
closed, and review -> matching to re-run the match."""

from django.db import transaction

from people.errors import ApplicationError

from ..models import RotationCycle

Status = RotationCycle.Status

ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.OPEN,),
    Status.OPEN: (Status.MATCHING,),
    Status.MATCHING: (Status.REVIEW,),
    Status.REVIEW: (Status.PUBLISHED, Status.MATCHING),
    Status.PUBLISHED: (Status.ACTIVE,),
    Status.ACTIVE: (Status.CLOSED,),
    Status.CLOSED: (),
}


def _label(status: str) -> str:
    return Status(status).label.lower()


@transaction.atomic
def cycle_move(*, cycle: RotationCycle, to: str, by=None) -> RotationCycle:
    """Move the cycle to status ``to`` if its current status allows it.

    The row is locked and re-read first: an admin click and the beat racing
    each other must not both move it."""
    current = RotationCycle.objects.select_for_update().get(pk=cycle.pk)
    allowed = ALLOWED_MOVES[current.status]
    if to not in allowed:
        options = " or ".join(f"“{_label(s)}”" for s in allowed) or "nowhere: it is finished"
        raise ApplicationError(
            f"{current} is “{_label(current.status)}”: it can move to {options}, "
            f"not to “{_label(to)}”.",
            field="status",
        )
    current.status = to
    if by is not None:
        current._history_user = by  # simple-history records who moved it
    current.save(update_fields=["status"])
    cycle.status = to
    return cycle


@transaction.atomic
def cycle_open_signups(*, cycle: RotationCycle, by=None) -> RotationCycle:
    return cycle_move(cycle=cycle, to=Status.OPEN, by=by)


@transaction.atomic
def cycle_close_and_match(*, cycle: RotationCycle, by=None):
    """Close sign-ups and start a match run (computed by a worker). Returns the run."""
    from .matching_run import match_run_start

    cycle_move(cycle=cycle, to=Status.MATCHING, by=by)
    return match_run_start(cycle=cycle, requested_by=by)


@transaction.atomic
def cycle_rerun(*, cycle: RotationCycle, by=None):
    """Back from review to matching, and a new run that keeps the locked pairs."""
    from .matching_run import match_run_start

    if cycle.status != Status.MATCHING:
        cycle_move(cycle=cycle, to=Status.MATCHING, by=by)
    return match_run_start(cycle=cycle, requested_by=by)


@transaction.atomic
def cycle_close(*, cycle: RotationCycle, by=None) -> RotationCycle:
    return cycle_move(cycle=cycle, to=Status.CLOSED, by=by)
