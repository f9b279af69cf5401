"""The people team's review of a run's proposal: lock, remove, swap and pair
by hand. Each edit is a decision the engine respects on every re-run:

- a removed pair becomes an exclusion (PairExclusion) for the rest of the cycle;
- a swapped pair and a pair made by hand are locked, so a re-run keeps them
  (or lists on the review page why it could not: see matching_run._locks_that_hold);
- the run's figures are recomputed from its pairings after every edit.

Publishing is in matching_run.cycle_publish."""

from django.db import transaction
from django.utils import timezone

from core.jobs import job_enqueue
from people.errors import ApplicationError

from ..models import MatchRun, PairExclusion, Pairing, Role, RotationCycle, SignUp
from ..scoring import score_cycle
from ..selectors.review import latest_done_run

Status = RotationCycle.Status
AFTER_PUBLISHING = (Status.PUBLISHED, Status.ACTIVE)
REMOVED_REASON = "Removed by the people team."


def _check_in_review(cycle: RotationCycle) -> None:
    if cycle.status != Status.REVIEW:
        raise ApplicationError(
            f"{cycle} is “{cycle.get_status_display().lower()}”: pairings change only "
            "while the match is in review."
        )


def _reviewable(pairing: Pairing) -> Pairing:
    """Lock the pairing's row and check it belongs to the proposal under review."""
    current = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("run", "cycle", "mentor__person", "mentee__person")
        .filter(pk=pairing.pk)
        .first()
    )
    if current is None:
        raise ApplicationError("That pairing no longer exists: the page was out of date.")
    if current.status != Pairing.Status.PROPOSED:
        raise ApplicationError(f"{current} is published: a published pairing never changes.")
    _check_in_review(current.cycle)
    latest = latest_done_run(cycle=current.cycle)
    if latest is None or latest.pk != current.run_id:
        raise ApplicationError(f"{current} belongs to an older run: review the latest one.")
    return current


@transaction.atomic
def pairing_lock(*, pairing: Pairing, locked: bool) -> Pairing:
    """Keep (or stop keeping) the pair as it is when the match is re-run."""
    current = _reviewable(pairing)
    current.locked = locked
    current.save(update_fields=["locked"])
    pairing.locked = locked
    return current


@transaction.atomic
def pairing_remove(*, pairing: Pairing, by=None) -> PairExclusion:
    """Delete a proposed pair and keep the two apart for the rest of the cycle:
    the mentee becomes unmatched, and the mentor too if this was their only mentee."""
    current = _reviewable(pairing)
    run = MatchRun.objects.select_for_update().get(pk=current.run_id)
    exclusion, _ = PairExclusion.objects.get_or_create(
        cycle_id=current.cycle_id,
        mentor_id=current.mentor_id,
        mentee_id=current.mentee_id,
        defaults={"created_by": by},
    )
    current.delete()
    left_out = [current.mentee]
    if not run.pairings.filter(mentor_id=current.mentor_id).exists():
        left_out.append(current.mentor)
    list_unmatched(run, left_out, REMOVED_REASON)
    pairings_figures_refresh(run=run)
    return exclusion


@transaction.atomic
def pairing_swap(*, pairing_a: Pairing, pairing_b: Pairing) -> tuple[Pairing, Pairing]:
    """Swap the mentors of two proposed pairs of the same run, if both new pairs
    keep every hard rule; their scores and explanations are computed afresh, and
    both are locked, so a re-run keeps the swap."""
    if pairing_a.pk == pairing_b.pk:
        raise ApplicationError("Pick two different pairings to swap.", field="pairing_b")
    first, second = sorted((_reviewable(pairing_a), _reviewable(pairing_b)), key=lambda p: p.pk)
    if first.run_id != second.run_id:
        raise ApplicationError("Both pairings must come from the same run.", field="pairing_b")
    if first.locked or second.locked:
        raise ApplicationError("Unlock both pairings first: a locked pair stays as it is.")
    if first.mentor_id == second.mentor_id:
        raise ApplicationError("Both pairings have the same mentor: there is nothing to swap.")
    ids = {first.mentor_id, first.mentee_id, second.mentor_id, second.mentee_id}
    scoring = score_cycle(cycle=first.cycle, signup_ids=ids)
    new_pairs = [(second.mentor_id, first.mentee_id), (first.mentor_id, second.mentee_id)]
    refusals = [reason for pair in new_pairs for reason in scoring.refusals(*pair)]
    if refusals:
        raise ApplicationError("Not swapped: " + " ".join(refusals), field="pairing_b")
    for pairing, (mentor_id, mentee_id) in zip((first, second), new_pairs, strict=True):
        pairing.mentor_id = mentor_id
        pairing.score = scoring.score_of(mentor_id, mentee_id)
        pairing.explanation = scoring.explain(mentor_id, mentee_id)
        pairing.locked = True
        pairing.save(update_fields=["mentor", "score", "explanation", "locked"])
    pairings_figures_refresh(run=MatchRun.objects.select_for_update().get(pk=first.run_id))
    return first, second


@transaction.atomic
def pairing_create_by_hand(*, cycle: RotationCycle, mentor: SignUp, mentee: SignUp, by=None):
    """Pair an unmatched mentee with a mentor, under every hard rule the engine
    keeps (seniority, manager chain, repeats, teams, capacity, team cap, the
    commitment limit). The pair is scored and explained like the engine's, and
    locked so a re-run keeps it. Making the pair lifts an earlier removal of it.

    After publishing, only a mentee whose mentor left can be paired again:
    the new pair is published at once and announced like the others."""
    cycle = RotationCycle.objects.select_for_update().get(pk=cycle.pk)
    run = latest_done_run(cycle=cycle)
    if run is None:
        raise ApplicationError(f"{cycle} has no finished match run to add a pair to.")
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    mentor, mentee = _signup_of(cycle, mentor, Role.MENTOR), _signup_of(cycle, mentee, Role.MENTEE)
    published = cycle.status in AFTER_PUBLISHING
    if published:
        _check_mentor_left(run, mentee)
    else:
        _check_in_review(cycle)
    if run.pairings.filter(mentee=mentee, left_person=None).exists():
        raise ApplicationError(
            f"{mentee.person} already has a mentor in this proposal: remove or swap that pair.",
            field="mentee",
        )
    PairExclusion.objects.filter(cycle=cycle, mentor=mentor, mentee=mentee).delete()
    scoring = score_cycle(cycle=cycle, signup_ids={mentor.pk, mentee.pk})
    refusals = scoring.refusals(mentor.pk, mentee.pk) + _room_refusals(run, mentor, mentee)
    if refusals:
        raise ApplicationError("Not paired: " + " ".join(refusals), field="mentor")
    pairing = Pairing(
        run=run,
        cycle=cycle,
        mentor=mentor,
        mentee=mentee,
        score=scoring.score_of(mentor.pk, mentee.pk),
        explanation=scoring.explain(mentor.pk, mentee.pk),
        locked=True,
    )
    if published:
        pairing.status, pairing.published_at = Pairing.Status.PUBLISHED, timezone.now()
    if by is not None:
        pairing._history_user = by
    pairing.save()
    if published:  # told like every published pair, once (the keys are per pairing)
        job_enqueue("mentorship.tasks.pairings_published_notify_task", cycle.pk)
    run.unmatched = [
        row for row in run.unmatched if row.get("signup") not in (mentor.pk, mentee.pk)
    ]
    pairings_figures_refresh(run=run)
    return pairing


def _check_mentor_left(run: MatchRun, mentee: SignUp) -> None:
    left = run.pairings.filter(
        mentee=mentee, status=Pairing.Status.PUBLISHED, left_person__isnull=False
    ).exclude(left_person=mentee.person)
    if not left.exists():
        raise ApplicationError(
            f"{run.cycle} is published: a published pairing never changes. Only a mentee "
            "whose mentor left can be paired again.",
            field="mentee",
        )


def _signup_of(cycle: RotationCycle, signup: SignUp, role: str) -> SignUp:
    found = (
        SignUp.objects.select_related("person__team")
        .filter(
            pk=signup.pk,
            cycle=cycle,
            role=role,
            status=SignUp.Status.ACTIVE,
            person__is_active=True,
        )
        .first()
    )
    if found is None:
        raise ApplicationError(
            f"Choose a {Role(role).label.lower()} signed up to {cycle}.", field=role
        )
    return found


def _room_refusals(run: MatchRun, mentor: SignUp, mentee: SignUp) -> list[str]:
    """The rules that depend on the rest of the proposal: capacity and team cap."""
    found = []
    live = run.pairings.filter(left_person=None)  # a pair someone left holds no place
    taken = live.filter(mentor=mentor).count()
    if taken >= mentor.capacity:
        found.append(
            f"{mentor.person} already has {taken} of the {mentor.capacity} "
            f"mentee{'s' if mentor.capacity != 1 else ''} they offered to take."
        )
    cap, team = run.cycle.max_mentees_per_team, mentee.person.team
    if cap is not None and team is not None:
        matched = live.filter(mentee__person__team=team).count()
        if matched >= cap:
            found.append(f"{team} already has {matched} mentees matched (the cap is {cap}).")
    return found


# --- the run's unmatched list and figures, kept true after every edit ---------------------


def unmatched_row(signup: SignUp, reason: str) -> dict:
    return {
        "signup": signup.pk,
        "person": str(signup.person),
        "role": signup.role,
        "team": signup.person.team.name if signup.person.team else "",
        "reason": reason,
    }


def list_unmatched(run: MatchRun, signups: list[SignUp], reason: str) -> None:
    """Put the sign-ups first on the run's unmatched list, with the reason."""
    rows = [unmatched_row(signup, reason) for signup in signups]
    taken = {(row["signup"], row["role"]) for row in rows}
    run.unmatched = rows + [
        row for row in run.unmatched if (row.get("signup"), row.get("role")) not in taken
    ]


def pairings_figures_refresh(*, run: MatchRun) -> None:
    """Every figure that follows from the pairings, recomputed from them (after a
    removal, a swap, a pair made by hand or a drop at publishing), so the page
    never shows figures that do not add up. Saves the unmatched list too."""
    rows = list(
        run.pairings.values_list("score", "mentor__person__team_id", "mentee__person__team_id")
    )
    total = round(sum(score for score, _, _ in rows), 2)
    matched = len(rows)
    mentees = run.figures.get("mentees") or 0
    run.figures.update(
        matched=matched,
        total_score=total,
        average_score=round(total / matched, 2) if matched else 0.0,
        match_rate=round(matched / mentees, 3) if mentees else 0.0,
        crossing_teams=sum(
            1 for _, mine, theirs in rows if None not in (mine, theirs) and mine != theirs
        ),
        locked=run.pairings.filter(locked=True).count(),
    )
    run.save(update_fields=["figures", "unmatched"])
