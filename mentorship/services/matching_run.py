"""A match run, end to end: close sign-ups (or go back from review) and start
a run, which a worker computes, and execute it.
The people team's edits are services/review.py; publishing is a cycle move
(services/cycles.py).

A run is claimed and computed in one transaction: a second worker waits on
the claimed row and then finds nothing to do; a worker killed mid-run rolls
the claim back, so the redelivered task computes it again."""

import gc
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from core.jobs import job_enqueue
from people.errors import ApplicationError
from people.history import history_record_created

from ..matching import MatchingError, solve_arrays
from ..models import MatchRun, Pairing, RotationCycle
from ..scoring import CycleScoring
from ..scoring.arrays import IntArray
from ..selectors.match_inputs import match_inputs
from .cycles import cycle_move
from .slack import match_run_slack

logger = logging.getLogger(__name__)

Status = RotationCycle.Status
RUNNABLE = (Status.MATCHING, Status.REVIEW)
STALE_PENDING = timedelta(minutes=10)
"""A run no worker picked up in this long no longer blocks a new one."""


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


@transaction.atomic
def cycle_close_and_match(*, cycle: RotationCycle, by=None):
    """Close sign-ups and start a match run (computed by a worker). Returns the run."""
    cycle_move(cycle=cycle, to=Status.MATCHING, by=by)
    return match_run_start(cycle=cycle, requested_by=by)


@transaction.atomic
def cycle_rerun(*, cycle: RotationCycle, by=None):
    """Back from review to matching, and a new run that keeps the locked pairs."""
    if cycle.status != Status.MATCHING:
        cycle_move(cycle=cycle, to=Status.MATCHING, by=by)
    return match_run_start(cycle=cycle, requested_by=by)


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
            with _without_cycle_collection():
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


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The run makes hundreds of thousands of small objects that live until it
    ends (participants and their lists, rows, sentences); Python's cycle
    collector would walk all of them again and again as they pile up, to find
    nothing (about a third of the load stage's CPU time at 10,000 sign-ups).
    Reference counting still frees everything that is not in a cycle; the
    collector, enabled again, finds any cycles at its next automatic pass.
    It is paused for the whole process (a worker runs one task at a time; the
    job's lease thread makes no garbage worth collecting)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    clock, cpu_clock = time.perf_counter(), time.process_time()
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}  # wall time on a busy worker measures its neighbours

    def lap(phase: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        seconds[phase] = round(now - clock, 3)
        cpu_seconds[phase] = round(cpu_now - cpu_clock, 3)
        clock, cpu_clock = now, cpu_now

    inputs = match_inputs(cycle=cycle)
    previous_locks = _previous_locks(run)
    lap("load")
    scoring = CycleScoring(inputs)
    locked, dropped = _locks_that_hold(scoring, previous_locks)
    lap("score")
    mentor_of = _solve(scoring, locked)
    lap("solve")
    scores = _write_pairings(run, scoring, mentor_of, set(locked))
    run.unmatched = scoring.unmatched_of(mentor_of)
    if cycle.status == Status.MATCHING:
        cycle_move(cycle=cycle, to=Status.REVIEW, by=None)
    lap("write")
    seconds["total"] = round(sum(seconds.values()), 3)
    run.figures = _figures(scoring, mentor_of, scores, len(locked), seconds)
    run.figures["locks_dropped"] = dropped
    run.figures["cpu_seconds"] = cpu_seconds
    run.status = MatchRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["unmatched", "figures", "status", "finished_at"])


def _solve(scoring: CycleScoring, locked: list[tuple[int, int]]) -> IntArray:
    """The optimum on the candidate edges, then a second solve that offers
    whoever is left the eligible mentors who still have room: a few each,
    more until the solution is proven optimal over all of them (scoring/rescue.py).
    Arrays end to end: the mentor index of each mentee, -1 when unmatched."""
    capacity = scoring.capacity_array()
    group_of, group_cap = scoring.group_arrays()
    locks = np.array(
        [(scoring.mentor_index[m], scoring.mentee_index[e]) for m, e in locked], dtype=np.int64
    ).reshape(-1, 2)
    edge_i, edge_j, edge_score = _edges_with_locks(scoring, locked)
    mentor_of = solve_arrays(
        edge_j,
        edge_i,
        edge_score,
        capacity,
        group_of=group_of,
        group_cap=group_cap,
        locked=locks,
        n_mentees=len(scoring.mentees),
    ).mentor_of
    matched = mentor_of >= 0
    teams = group_of[matched]
    team_room = group_cap - np.bincount(teams[teams >= 0], minlength=len(group_cap))
    # A mentee whose team has reached its cap cannot be matched by the second solve.
    team_open = np.append(team_room > 0, True)[group_of]  # group -1: no cap
    rescue = scoring.rescue(mentor_of, team_open)
    while len(rescue.mentee):
        rescued = solve_arrays(
            rescue.mentor,
            rescue.mentee,
            rescue.score,
            rescue.room,
            group_of=group_of,
            group_cap=team_room,
            n_mentees=len(scoring.mentees),
        ).mentor_of
        if rescue.proven(rescued):
            return np.where(rescued >= 0, rescued, mentor_of)
    return mentor_of


def _edges_with_locks(
    scoring: CycleScoring, locked: list[tuple[int, int]]
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
    """The candidate edges, plus every kept lock they lack: a swap or a pair made
    by hand keeps every hard rule but need not be a candidate (it may cover
    none of the mentee's goals), and the engine only keeps locks that are edges."""
    missing = [
        (scoring.mentee_index[mentee_id], scoring.mentor_index[mentor_id], score)
        for mentor_id, mentee_id in locked
        if not scoring.has_edge(mentor_id, mentee_id)
        for score in [scoring.score_of(mentor_id, mentee_id)]
    ]
    if not missing:
        return scoring.edge_i, scoring.edge_j, scoring.edge_score
    rows, cols, scores = zip(*missing, strict=True)
    return (
        np.concatenate([scoring.edge_i, np.array(rows, dtype=np.int64)]),
        np.concatenate([scoring.edge_j, np.array(cols, dtype=np.int64)]),
        np.concatenate([scoring.edge_score, np.array(scores, dtype=scoring.edge_score.dtype)]),
    )


def _previous_locks(run: MatchRun) -> list[Pairing]:
    """Locked pairings of the cycle's previous done run: the locks the people team
    set, the swaps and the pairs made by hand (all three are locks)."""
    previous = (
        MatchRun.objects.filter(cycle_id=run.cycle_id, status=MatchRun.Status.DONE)
        .exclude(pk=run.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is None:
        return []
    # Locks whose sign-ups were withdrawn come too: _locks_that_hold says why
    # they could not be kept instead of dropping them without a word.
    return list(
        previous.pairings.filter(locked=True)
        .select_related("mentor__person", "mentee__person")
        .order_by("pk")
    )


def _locks_that_hold(
    scoring: CycleScoring, pairings: list[Pairing]
) -> tuple[list[tuple[int, int]], list[str]]:
    """The locked pairs that still keep every hard rule and fit capacity and team
    caps; the others are dropped, each with the reason (for the people team
    only: the sentences name both people). A lock need not be one of the
    engine's candidates (a swap or a pair made by hand may cover no goal):
    _edges_with_locks offers it to the engine."""
    kept: list[tuple[int, int]] = []
    dropped: list[str] = []
    room = scoring.capacity()
    team_room = dict(scoring.group_cap())
    group_of = scoring.group_of()
    for pairing in pairings:
        pair = (pairing.mentor_id, pairing.mentee_id)
        team = group_of.get(pairing.mentee_id)
        refusals = scoring.refusals(*pair)
        if refusals:
            why = " ".join(refusals)
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
    run: MatchRun, scoring: CycleScoring, mentor_of: IntArray, locked: set[tuple[int, int]]
) -> list[float]:
    """Insert the proposed pairings in one statement from the chosen pairs'
    arrays (scores and explanations computed for those pairs only); return
    their scores."""
    rows = np.flatnonzero(mentor_of >= 0)
    cols = mentor_of[rows]
    scores = scoring.pair_scores(rows, cols).tolist()
    mentee_ids = scoring.mentee_ids[rows].tolist()
    mentor_ids = scoring.mentor_ids[cols].tolist()
    _insert_pairings(
        run,
        mentor=mentor_ids,
        mentee=mentee_ids,
        score=scores,
        explanation=scoring.explanations(rows, cols),
        locked=[pair in locked for pair in zip(mentor_ids, mentee_ids, strict=True)],
    )
    history_record_created(rows=Pairing.objects.filter(run=run))
    return scores


def _insert_pairings(run: MatchRun, **columns: list) -> None:
    """INSERT ... SELECT from one JSON document holding every row: the database
    parses it, where bulk_create would build a model instance and adapt each
    value in Python (about 20x the CPU time at 10,000 pairings). Fields not
    given get their model defaults (None when there is none)."""
    fields = {f.name: f for f in Pairing._meta.concrete_fields if not f.primary_key}
    given = {"run": run.pk, "cycle": run.cycle_id}
    constants = {
        name: field.get_db_prep_save(field.get_default(), connection)
        for name, field in fields.items()
        if name not in columns and name not in given
    }
    constants.update(given)
    keys = list(columns)
    document = json.dumps(
        [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    )
    quote = connection.ops.quote_name
    targets = [*keys, *constants]
    values = [_read(fields[name], name) for name in keys] + [_read(fields[n]) for n in constants]
    source = "jsonb_array_elements(%s::jsonb) AS item(value)" if _postgres() else "json_each(%s)"
    sql = (
        f"INSERT INTO {quote(Pairing._meta.db_table)} "
        f"({', '.join(quote(str(fields[name].column)) for name in targets)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), document])


def _read(field: Field, key: str | None = None) -> str:
    """SQL for a value of the field's type: one key of the document's row (its
    ``value``), or a parameter when no key is given."""
    if not _postgres():  # SQLite: its values need no cast
        return f"json_extract(value, '$.{key}')" if key else "%s"
    if key and field.db_type(connection) == "jsonb":
        return f"(value->'{key}')"  # already parsed: as text, it would be parsed twice
    value = f"(value->>'{key}')" if key else "%s"
    return f"{value}::{field.db_type(connection)}"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _figures(
    scoring: CycleScoring,
    mentor_of: IntArray,
    scores: list[float],
    locked: int,
    seconds: dict[str, float],
) -> dict:
    total = round(sum(scores), 2)
    matched = len(scores)
    mentees = len(scoring.mentees)
    rows = np.flatnonzero(mentor_of >= 0)
    mine, theirs = scoring.mentee_team[rows], scoring.mentor_team[mentor_of[rows]]
    crossing = int(((mine != theirs) & (mine >= 0) & (theirs >= 0)).sum())
    return {
        "participants": mentees + len(scoring.mentors),
        "mentors": len(scoring.mentors),
        "mentees": mentees,
        "capacity": int(scoring.capacity_array().sum()),
        "eligible_pairs": len(scoring.edge_i),
        "matched": matched,
        "match_rate": round(matched / mentees, 3) if mentees else 0.0,
        "locked_kept": locked,
        "crossing_teams": crossing,
        "total_score": total,
        "average_score": round(total / matched, 2) if matched else 0.0,
        "seconds": seconds,
    }
