"""The engine's entry points, ``solve_arrays`` (index arrays) and ``solve`` /
``solve_with_stats`` (ids), and the results they return."""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from .checks import (
    canonical,
    capped_group,
    check_counts,
    check_range,
    count_array,
    edge_columns,
    ids_shown,
    index_array,
)
from .flow import assign
from .locks import locked_indices, locked_positions
from .problem import ArrayLike, IntArray, MatchingError, Names, Problem
from .scores import score_units

Mentor = TypeVar("Mentor", bound=Hashable)
Mentee = TypeVar("Mentee", bound=Hashable)
Group = TypeVar("Group", bound=Hashable)


@dataclass(frozen=True)
class MatchResult(Generic[Mentor, Mentee]):
    """An optimal assignment and its figures."""

    pairs: dict[Mentee, Mentor]
    """mentee -> mentor, in the mentees' canonical order."""
    total_score: float
    """Sum of the matched pairs' scores as given (an int when all scores are ints)."""
    matched: int
    seconds: float
    """Wall time of the whole call: validation, building the network, solving."""


@dataclass(frozen=True)
class ArrayMatch:
    """An optimal assignment on index arrays, and its figures."""

    mentor_of: IntArray
    """Per mentee index, the mentor index, or -1 when unmatched."""
    pair_of: IntArray
    """Per mentee index, the position of its pair in the input arrays, or -1."""
    total_score: float
    """Sum of the matched pairs' scores (an int when the scores are integers)."""
    matched: int
    seconds: float


# --- the array entry point ----------------------------------------------------------------


def solve_arrays(
    mentors: ArrayLike,
    mentees: ArrayLike,
    scores: ArrayLike,
    capacity: ArrayLike,
    *,
    group_of: ArrayLike | None = None,
    group_cap: ArrayLike | None = None,
    locked: ArrayLike | None = None,
    n_mentees: int | None = None,
) -> ArrayMatch:
    """Return an optimal assignment of index arrays.

    ``mentors[e], mentees[e], scores[e]`` is eligible pair ``e``: int64 indices
    (mentors index ``capacity``, mentees run from 0 to ``n_mentees`` - 1) and a
    number, higher better. ``capacity`` is an int array per mentor;
    ``group_of`` an int array per mentee (-1: in no group) and ``group_cap`` an
    int array per group. ``locked`` holds positions of pairs that must be in the
    result, or a (k, 2) array of (mentor, mentee) indices. ``n_mentees``
    defaults to ``len(group_of)``, else to the largest mentee index + 1.

    As ``solve``: most mentees matched, then the largest total score; the same
    result for the same pairs in any order. Raises ``MatchingError`` on bad input.
    """
    started = time.perf_counter()
    mentor_of_edge = index_array(mentors, "mentors")
    mentee_of_edge = index_array(mentees, "mentees")
    score_array = np.asarray(scores)
    if score_array.ndim != 1 or not (
        len(mentor_of_edge) == len(mentee_of_edge) == len(score_array)
    ):
        raise MatchingError("mentors, mentees and scores must be 1-D arrays of the same length")
    capacity_array = count_array(capacity, "capacity", "mentor")
    if group_of is not None and n_mentees is None:
        n_mentees = len(np.asarray(group_of))
    if n_mentees is None:
        n_mentees = int(mentee_of_edge.max()) + 1 if len(mentee_of_edge) else 0
    check_range(mentor_of_edge, len(capacity_array), "mentor", "capacity has")
    check_range(mentee_of_edge, n_mentees, "mentee", "n_mentees is")
    cap_array = (
        count_array(group_cap, "group_cap", "group")
        if group_cap is not None
        else np.zeros(0, np.int64)
    )
    if group_of is None:
        group_array = np.full(n_mentees, -1, np.int64)
    else:
        group_array = index_array(group_of, "group_of")
        if len(group_array) != n_mentees:
            raise MatchingError(f"group_of has {len(group_array)} entries for {n_mentees} mentees")
        check_range(group_array[group_array != -1], len(cap_array), "group", "group_cap has")
    names = Names(_shown, _shown, _shown)
    units, exact = score_units(score_array, names.edge_of(mentor_of_edge, mentee_of_edge))
    problem = Problem(
        mentor=mentor_of_edge,
        mentee=mentee_of_edge,
        units=units,
        capacity=capacity_array,
        n_mentees=n_mentees,
        group_of=group_array,
        group_cap=cap_array,
    )
    pair_of = assign(problem, locked_positions(locked, problem, names), names)
    chosen = pair_of[pair_of >= 0]
    mentor_of = np.full(n_mentees, -1, np.int64)
    mentor_of[pair_of >= 0] = mentor_of_edge[chosen]
    picked = score_array[chosen].tolist()
    total: float = sum(int(s) for s in picked) if exact else math.fsum(map(float, picked))
    return ArrayMatch(
        mentor_of=mentor_of,
        pair_of=pair_of,
        total_score=total,
        matched=len(chosen),
        seconds=time.perf_counter() - started,
    )


# --- the id entry point -------------------------------------------------------------------


def solve(
    edges: Iterable[tuple[Mentor, Mentee, float]],
    capacity: Mapping[Mentor, int],
    *,
    group_of: Mapping[Mentee, Group] | None = None,
    group_cap: Mapping[Group, int] | None = None,
    locked: Iterable[tuple[Mentor, Mentee]] = (),
) -> dict[Mentee, Mentor]:
    """Return an optimal assignment, mentee -> mentor.

    ``edges`` are the eligible ``(mentor, mentee, score)`` triples, higher score
    better; ``capacity`` maps each mentor to how many mentees they can take.
    ``group_of`` maps mentees to a group and ``group_cap`` caps how many mentees
    of a group are matched (groups not named are not capped). ``locked``
    ``(mentor, mentee)`` pairs are kept in the result. The assignment matches as
    many mentees as possible, then has the largest total score.

    Raises ``MatchingError`` on bad input (see the package docstring).
    """
    return solve_with_stats(
        edges, capacity, group_of=group_of, group_cap=group_cap, locked=locked
    ).pairs


def solve_with_stats(
    edges: Iterable[tuple[Mentor, Mentee, float]],
    capacity: Mapping[Mentor, int],
    *,
    group_of: Mapping[Mentee, Group] | None = None,
    group_cap: Mapping[Group, int] | None = None,
    locked: Iterable[tuple[Mentor, Mentee]] = (),
) -> MatchResult[Mentor, Mentee]:
    """``solve``, also returning the total score, the count and the time taken:
    the ids become indices in their canonical order, and ``solve_arrays``'
    engine does the rest."""
    started = time.perf_counter()
    group_of = group_of if group_of is not None else {}
    group_cap = group_cap if group_cap is not None else {}
    check_counts(capacity, "capacity", "mentor")
    check_counts(group_cap, "group_cap", "group")

    edge_list = list(edges)
    mentor_col, mentee_col, score_col = edge_columns(edge_list)
    mentors = canonical(mentor_col, "mentor id")
    mentees = canonical(mentee_col, "mentee id")
    missing = [mentor for mentor in mentors if mentor not in capacity]
    if missing:
        raise MatchingError(
            f"mentor(s) {ids_shown(missing)} have edges but no capacity entry "
            "(give them a capacity, 0 if they take no one)"
        )
    groups = canonical(group_cap.keys(), "group")
    mentor_index = {mentor: i for i, mentor in enumerate(mentors)}
    mentee_index = {mentee: i for i, mentee in enumerate(mentees)}
    group_index = {group: k for k, group in enumerate(groups)}
    count = len(edge_list)
    names = Names(lambda i: repr(mentors[i]), lambda j: repr(mentees[j]), lambda g: repr(groups[g]))
    problem = Problem(
        mentor=np.fromiter(map(mentor_index.__getitem__, mentor_col), np.int64, count),
        mentee=np.fromiter(map(mentee_index.__getitem__, mentee_col), np.int64, count),
        units=np.zeros(0, np.int64),
        capacity=np.fromiter((int(capacity[m]) for m in mentors), np.int64, len(mentors)),
        n_mentees=len(mentees),
        group_of=np.fromiter(
            (group_index.get(capped_group(group_of, m, group_cap), -1) for m in mentees),
            np.int64,
            len(mentees),
        ),
        group_cap=np.fromiter((int(group_cap[g]) for g in groups), np.int64, len(groups)),
    )
    units, exact = score_units(score_col, names.edge_of(problem.mentor, problem.mentee))
    problem.units = units
    pairs_locked = locked_indices(locked, mentor_index, mentee_index)
    pair_of = assign(problem, locked_positions(pairs_locked, problem, names), names)

    matched = np.flatnonzero(pair_of >= 0)  # mentees in canonical order
    chosen = pair_of[matched]
    pairs: dict[Mentee, Mentor] = {
        mentees[j]: mentors[i]
        for j, i in zip(matched.tolist(), problem.mentor[chosen].tolist(), strict=True)
    }
    original = [score_col[e] for e in chosen.tolist()]
    total: float = sum(int(s) for s in original) if exact else math.fsum(map(float, original))
    return MatchResult(
        pairs=pairs,
        total_score=total,
        matched=len(pairs),
        seconds=time.perf_counter() - started,
    )


def _shown(index: int) -> str:
    return str(index)
