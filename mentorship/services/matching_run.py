"""A match run, end to end, and the people team's review of its proposal:
start a run (a worker computes it), execute it, lock, remove or swap pairs,
publish the latest run.

A run is claimed and computed in one transaction: a second worker waits on
the claimed row and then finds nothing to do; a worker killed mid-run rolls
the claim back, so the redelivered task computes it again."""

import logging
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.jobs import job_enqueue
from people.errors import ApplicationError

from ..matching import MatchingError, solve_with_stats
from ..models import MatchRun, Pairing, RotationCycle, SignUp
from ..scoring import CycleScoring, score_cycle
from ..selectors.match_inputs import match_inputs
from .cycles import cycle_move
from .slack import match_run_slack

logger = logging.getLogger(__name__)

Status = RotationCycle.Status
RUNNABLE = (Status.MATCHING, Status.REVIEW)
STALE_PENDING = timedelta(minutes=10)
"""A run no worker picked up in this long no longer blocks a new one."""
REMOVED_REASON = "Removed by the people team."


# --- starting and executing a run ------------------------------------------------------


@transaction.atomic
def match_run_start(*, cycle: RotationCycle, requested_by=None) -> MatchRun:
    """Create a pending run for a cycle closed for sign-ups; a worker computes it
    once this transaction commits."""
    locked = RotationCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status not in RUNNABLE:
        raise ApplicationError(
            f"{locked} is “{locked.get_status_display().lower()}”: a match runs once "
            "sign-ups are closed (matching or in review), before it is published.",
            field="status",
        )
    waiting = MatchRun.objects.filter(cycle=locked, status=MatchRun.Status.PENDING)
    stale = timezone.now() - STALE_PENDING
    waiting.filter(created_at__lt=stale).update(
        status=MatchRun.Status.FAILED,
        finished_at=timezone.now(),
        error="No worker picked this run up; a newer run replaced it.",
    )
    if waiting.exists():
        raise ApplicationError(f"A match run of {locked} is already waiting for a worker.")
    run = MatchRun.objects.create(cycle=locked, requested_by=requested_by)
    job_enqueue("mentorship.tasks.match_run_execute_task", run.pk)
    return run


def match_run_execute(*, match_run_id: int) -> None:
    """Claim the run and compute it; a run already claimed or done is left alone.

    A rule that refuses (ApplicationError) or input the engine refuses
    (MatchingError) marks the run failed with the reason; any other error
    does too, and is raised again for the worker's log."""
    try:
        with transaction.atomic():
            claimed = MatchRun.objects.filter(
                pk=match_run_id, status=MatchRun.Status.PENDING
            ).update(status=MatchRun.Status.RUNNING, started_at=timezone.now())
            if not claimed:
                return
            run = MatchRun.objects.select_related("cycle__ladder").get(pk=match_run_id)
            _compute(run)
        match_run_slack(match_run_id=match_run_id)
    except ApplicationError as error:
        _mark_failed(match_run_id, error.message)
    except MatchingError as error:
        _mark_failed(match_run_id, f"The matching engine refused the input: {error}")
    except Exception as error:
        logger.exception("Match run %s failed", match_run_id)
        _mark_failed(match_run_id, f"Unexpected error ({type(error).__name__}): {error}")
        raise


def _mark_failed(match_run_id: int, reason: str) -> None:
    with transaction.atomic():
        MatchRun.objects.filter(
            pk=match_run_id, status__in=[MatchRun.Status.PENDING, MatchRun.Status.RUNNING]
        ).update(status=MatchRun.Status.FAILED, error=reason, finished_at=timezone.now())
        match_run_slack(match_run_id=match_run_id)


def _compute(run: MatchRun) -> None:
    cycle = RotationCycle.objects.select_for_update().select_related("ladder").get(pk=run.cycle_id)
    if cycle.status not in RUNNABLE:
        raise ApplicationError(
            f"{cycle} is “{cycle.get_status_display().lower()}” now: this run was not needed."
        )
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[phase] = round(now - clock, 3)
        clock = now

    inputs = match_inputs(cycle=cycle)
    previous_locks = _previous_locks(run)
    lap("load")
    scoring = CycleScoring(inputs)
    locked, dropped = _locks_that_hold(scoring, previous_locks)
    edges = scoring.edges()
    lap("score")
    pairs = _solve(scoring, edges, locked)
    lap("solve")
    pairings = _write_pairings(run, scoring, pairs, set(locked))
    run.unmatched = scoring.unmatched(pairs)
    if cycle.status == Status.MATCHING:
        cycle_move(cycle=cycle, to=Status.REVIEW, by=None)
    lap("write")
    seconds["total"] = round(sum(seconds.values()), 3)
    run.figures = _figures(scoring, pairings, len(edges), len(locked), seconds)
    run.figures["locks_dropped"] = dropped
    run.status = MatchRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["unmatched", "figures", "status", "finished_at"])


def _solve(scoring: CycleScoring, edges: list, locked: list) -> dict[int, int]:
    """The optimum on the candidate edges, then a second solve that offers
    whoever is left every eligible mentor who still has room (see scoring)."""
    capacity, group_of, group_cap = scoring.capacity(), scoring.group_of(), scoring.group_cap()
    pairs = dict(
        solve_with_stats(
            edges, capacity, group_of=group_of, group_cap=group_cap, locked=locked
        ).pairs
    )
    rescue = scoring.rescue_edges(pairs)
    if rescue:
        room, team_room = dict(capacity), dict(group_cap)
        for mentee_id, mentor_id in pairs.items():
            room[mentor_id] -= 1
            team = group_of.get(mentee_id)
            if team in team_room:
                team_room[team] -= 1
        pairs.update(solve_with_stats(rescue, room, group_of=group_of, group_cap=team_room).pairs)
    return pairs


def _previous_locks(run: MatchRun) -> list[Pairing]:
    """Locked pairings of the cycle's previous done run whose sign-ups are still active."""
    previous = (
        MatchRun.objects.filter(cycle_id=run.cycle_id, status=MatchRun.Status.DONE)
        .exclude(pk=run.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is None:
        return []
    return list(
        previous.pairings.filter(
            locked=True,
            mentor__status=SignUp.Status.ACTIVE,
            mentee__status=SignUp.Status.ACTIVE,
        )
        .select_related("mentor__person", "mentee__person")
        .order_by("pk")
    )


def _locks_that_hold(
    scoring: CycleScoring, pairings: list[Pairing]
) -> tuple[list[tuple[int, int]], list[str]]:
    """The locked pairs still eligible and within capacity and team caps; the
    others are dropped, each with the reason (for the people team only: the
    sentences name both people)."""
    kept: list[tuple[int, int]] = []
    dropped: list[str] = []
    room = scoring.capacity()
    team_room = dict(scoring.group_cap())
    group_of = scoring.group_of()
    for pairing in pairings:
        pair = (pairing.mentor_id, pairing.mentee_id)
        team = group_of.get(pairing.mentee_id)
        if not scoring.has_edge(*pair):
            why = " ".join(scoring.refusals(*pair) or ["it is no longer a candidate pair."])
        elif room.get(pairing.mentor_id, 0) <= 0:
            why = f"{pairing.mentor.person} has no capacity left."
        elif team in team_room and team_room[team] <= 0:
            why = "the mentee's team has reached its cap."
        else:
            kept.append(pair)
            room[pairing.mentor_id] -= 1
            if team in team_room:
                team_room[team] -= 1
            continue
        dropped.append(
            f"The lock on {pairing.mentor.person} with {pairing.mentee.person} was dropped: {why}"
        )
    return kept, dropped


def _write_pairings(
    run: MatchRun, scoring: CycleScoring, pairs: dict[int, int], locked: set[tuple[int, int]]
) -> list[Pairing]:
    scores = scoring.edge_scores(pairs)
    rows = [
        Pairing(
            run=run,
            cycle_id=run.cycle_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            score=scores[mentee_id],
            explanation=scoring.explain(mentor_id, mentee_id),
            locked=(mentor_id, mentee_id) in locked,
        )
        for mentee_id, mentor_id in pairs.items()
    ]
    created = Pairing.objects.bulk_create(rows, batch_size=5000)
    _record_created(run)
    return created


def _record_created(run: MatchRun) -> None:
    """simple-history's "created" rows for the run's pairings, in one INSERT ...
    SELECT: bulk_create_with_history builds one history object per pairing in
    Python, which takes seconds for 10,000 pairings."""
    history = Pairing.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in Pairing._meta.concrete_fields)
    extra = ", ".join(
        quote(c)
        for c in ("history_date", "history_type", "history_change_reason", "history_user_id")
    )
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "
        f"SELECT {columns}, %s, '+', NULL, NULL FROM {quote(Pairing._meta.db_table)} "
        f"WHERE {quote('run_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), run.pk])


def _figures(
    scoring: CycleScoring, pairings: list[Pairing], edges: int, locked: int, seconds: dict
) -> dict:
    total = round(sum(p.score for p in pairings), 2)
    matched = len(pairings)
    mentees = len(scoring.mentees)
    crossing = sum(1 for p in pairings if _crosses(scoring, p.mentor_id, p.mentee_id))
    return {
        "participants": mentees + len(scoring.mentors),
        "mentors": len(scoring.mentors),
        "mentees": mentees,
        "capacity": sum(scoring.capacity().values()),
        "eligible_pairs": edges,
        "matched": matched,
        "match_rate": round(matched / mentees, 3) if mentees else 0.0,
        "locked_kept": locked,
        "crossing_teams": crossing,
        "total_score": total,
        "average_score": round(total / matched, 2) if matched else 0.0,
        "seconds": seconds,
    }


def _crosses(scoring: CycleScoring, mentor_id: int, mentee_id: int) -> bool:
    mentor = scoring.mentors[scoring.mentor_index[mentor_id]]
    mentee = scoring.mentees[scoring.mentee_index[mentee_id]]
    return None not in (mentor.team_id, mentee.team_id) and mentor.team_id != mentee.team_id


# --- the review --------------------------------------------------------------------------


def latest_done_run(*, cycle: RotationCycle) -> MatchRun | None:
    return (
        MatchRun.objects.filter(cycle=cycle, status=MatchRun.Status.DONE)
        .order_by("-created_at", "-pk")
        .first()
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
    if current.cycle.status != Status.REVIEW:
        raise ApplicationError(
            f"{current.cycle} is “{current.cycle.get_status_display().lower()}”: pairings "
            "change only while the match is in review."
        )
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
def pairing_remove(*, pairing: Pairing) -> None:
    """Delete a proposed pair: the mentee becomes unmatched, and the mentor too
    if this was their only mentee."""
    current = _reviewable(pairing)
    run = MatchRun.objects.select_for_update().get(pk=current.run_id)
    current.delete()
    left_out = [_unmatched_row(current.mentee)]
    if not run.pairings.filter(mentor_id=current.mentor_id).exists():
        left_out.append(_unmatched_row(current.mentor))
    taken = {(row.get("signup"), row.get("role")) for row in left_out}
    run.unmatched = left_out + [
        row for row in run.unmatched if (row.get("signup"), row.get("role")) not in taken
    ]
    _refresh_figures(run)


@transaction.atomic
def pairing_swap(*, pairing_a: Pairing, pairing_b: Pairing) -> tuple[Pairing, Pairing]:
    """Swap the mentors of two proposed pairs of the same run, if both new pairs
    keep every hard rule; their scores and explanations are computed afresh."""
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
        pairing.save(update_fields=["mentor", "score", "explanation"])
    _refresh_figures(MatchRun.objects.select_for_update().get(pk=first.run_id))
    return first, second


def _unmatched_row(signup: SignUp) -> dict:
    return {
        "signup": signup.pk,
        "person": str(signup.person),
        "role": signup.role,
        "team": signup.person.team.name if signup.person.team_id else "",
        "reason": REMOVED_REASON,
    }


def _refresh_figures(run: MatchRun) -> None:
    """Matched, total and average score follow the review's changes."""
    scores = list(run.pairings.values_list("score", flat=True))
    total = round(sum(scores), 2)
    mentees = run.figures.get("mentees") or 0
    run.figures.update(
        matched=len(scores),
        total_score=total,
        average_score=round(total / len(scores), 2) if scores else 0.0,
        match_rate=round(len(scores) / mentees, 3) if mentees else 0.0,
    )
    run.save(update_fields=["figures", "unmatched"])


# --- publishing --------------------------------------------------------------------------


@transaction.atomic
def cycle_publish(*, cycle: RotationCycle, by=None) -> int:
    """Publish the latest run's pairings and the cycle, then notify each pair and
    their managers (by a worker, once this commits). Returns how many were published."""
    locked_cycle = RotationCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked_cycle.status != Status.REVIEW:
        raise ApplicationError(
            f"{locked_cycle} is “{locked_cycle.get_status_display().lower()}”: only a match "
            "in review can be published."
        )
    run = latest_done_run(cycle=locked_cycle)
    pairings = list(run.pairings.filter(status=Pairing.Status.PROPOSED)) if run else []
    if not pairings:
        raise ApplicationError(f"{locked_cycle} has no proposed pairings to publish.")
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
    return len(pairings)
