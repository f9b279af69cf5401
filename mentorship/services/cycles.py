"""A rotation cycle's status and the moves between them, for the admin and the
daily beat alike: draft -> open -> matching -> review -> published -> active ->
closed, and review -> matching to re-run the match. Publishing (review ->
published) checks the commitment limit and records the notices."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.jobs import job_enqueue
from ladders.selectors.commitments import commitment_counts, commitment_limit
from people.errors import ApplicationError

from ..models import MatchRun, Pairing, RotationCycle
from ..selectors.review import latest_done_run
from .review import list_unmatched, pairings_figures_refresh

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
def cycle_close(*, cycle: RotationCycle, by=None) -> RotationCycle:
    return cycle_move(cycle=cycle, to=Status.CLOSED, by=by)


# --- publishing --------------------------------------------------------------------------


@dataclass
class Published:
    """What publishing did: how many pairings went out, and the pairs it dropped
    (each with its reason) because they would take someone over the limit."""

    count: int
    dropped: list[str] = field(default_factory=list)


@transaction.atomic
def cycle_publish(*, cycle: RotationCycle, by=None) -> Published:
    """Publish the latest run's pairings and the cycle, then notify each pair and
    their managers (by a worker, once this commits).

    A rotation becomes a commitment here, so the limit is checked here: a pair
    whose mentor or mentee reached the limit since the match (a stretch
    assignment accepted during the review) is dropped and said so. If that
    leaves nothing, publishing is refused and nothing changes."""
    locked_cycle = RotationCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked_cycle.status != Status.REVIEW:
        raise ApplicationError(
            f"{locked_cycle} is “{locked_cycle.get_status_display().lower()}”: only a match "
            "in review can be published."
        )
    run = latest_done_run(cycle=locked_cycle)
    pairings = list(_proposed(run)) if run else []
    if run is None or not pairings:
        raise ApplicationError(f"{locked_cycle} has no proposed pairings to publish.")
    pairings, dropped = _within_commitment_limit(run, pairings)
    if not pairings:
        raise ApplicationError(
            f"Nothing was published: every proposed pair would take someone over the "
            f"commitment limit. {' '.join(dropped)}"
        )
    now = timezone.now()
    for pairing in pairings:
        pairing.status = Pairing.Status.PUBLISHED
        pairing.published_at = now
    bulk_update_with_history(
        pairings, Pairing, ["status", "published_at"], batch_size=2000, default_user=by
    )
    cycle_move(cycle=locked_cycle, to=Status.PUBLISHED, by=by)
    cycle.status = locked_cycle.status
    job_enqueue("mentorship.tasks.pairings_published_notify_task", locked_cycle.pk)
    return Published(count=len(pairings), dropped=dropped)


def _proposed(run: MatchRun):
    # A pair someone left is never published: the people team re-matches the other.
    return run.pairings.filter(status=Pairing.Status.PROPOSED, left_person=None).select_related(
        "mentor__person__team", "mentee__person__team"
    )


def _within_commitment_limit(run: MatchRun, pairings: list[Pairing]):
    """The pairings that keep everyone within the limit, and a sentence for each
    one dropped (the dropped ones are deleted and their people listed as unmatched).

    Race condition: the people are locked in id order, as stretch_decide and
    signup_create lock them, so a stretch assignment accepted at this instant
    is counted either before or after, never beside, this check."""
    people = {p.mentor.person_id for p in pairings} | {p.mentee.person_id for p in pairings}
    list(get_user_model().objects.select_for_update().filter(pk__in=people).order_by("pk"))
    counts, limit = commitment_counts(person_ids=list(people)), commitment_limit()
    full = {person_id for person_id in people if counts[person_id] >= limit}
    if not full:
        return pairings, []
    kept, dropped, sentences = [], [], []
    for pairing in pairings:
        over = [s.person for s in (pairing.mentor, pairing.mentee) if s.person_id in full]
        if not over:
            kept.append(pairing)
            continue
        dropped.append(pairing)
        names = " and ".join(str(person) for person in over)
        sentences.append(
            f"{pairing} was not published: {names} reached the limit of {limit} concurrent "
            "commitments during the review."
        )
    _drop(run, dropped, limit)
    return kept, sentences


def _drop(run: MatchRun, dropped: list[Pairing], limit: int) -> None:
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    Pairing.objects.filter(pk__in=[p.pk for p in dropped]).delete()
    reason = (
        f"Dropped at publishing: the pair would have gone over the limit of {limit} commitments."
    )
    left = set(run.pairings.values_list("mentor_id", flat=True))
    signups = [p.mentee for p in dropped]
    signups += list({p.mentor_id: p.mentor for p in dropped if p.mentor_id not in left}.values())
    list_unmatched(run, signups, reason)
    pairings_figures_refresh(run=run)
