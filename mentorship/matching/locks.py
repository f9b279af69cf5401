"""Locked pairs: given as positions or as (mentor, mentee) pairs, each found
among the edges once, and checked to fit every capacity and group cap."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .checks import check_range
from .problem import ArrayLike, IntArray, MatchingError, Names, Problem


def locked_indices(
    locked: Iterable[tuple[Any, Any]],
    mentor_index: dict[Any, int],
    mentee_index: dict[Any, int],
) -> IntArray:
    """Locked (mentor, mentee) ids as a (k, 2) index array; -1 for an unknown id."""
    rows: list[tuple[int, int]] = []
    for pair in locked:
        try:
            mentor, mentee = pair
        except (TypeError, ValueError):
            raise MatchingError(f"a locked pair must be (mentor, mentee), got {pair!r}") from None
        i, j = mentor_index.get(mentor), mentee_index.get(mentee)
        if i is None or j is None:
            raise MatchingError(f"locked pair ({mentor!r}, {mentee!r}) is not an edge")
        rows.append((i, j))
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


def locked_positions(locked: ArrayLike | None, problem: Problem, names: Names) -> IntArray:
    """Positions (in the input arrays) of the locked pairs, each once: from
    positions, or from (mentor, mentee) index pairs."""
    if locked is None:
        return np.zeros(0, np.int64)
    array = np.asarray(locked)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if (
        array.dtype.kind not in "iu"
        or array.ndim not in (1, 2)
        or (array.ndim == 2 and array.shape[1] != 2)
    ):
        raise MatchingError("locked must be pair positions or a (k, 2) array of indices")
    array = array.astype(np.int64, copy=False)
    if array.ndim == 1:
        check_range(array, len(problem.mentor), "locked pair position", "there are edges:")
        positions = array
        pair_mentor, pair_mentee = problem.mentor[array], problem.mentee[array]
    else:
        pair_mentor, pair_mentee = array[:, 0], array[:, 1]
        positions = _find_pairs(problem, pair_mentor, pair_mentee, names)
    # A mentee locked to two different mentors cannot hold; the same pair twice is fine.
    first: dict[int, int] = {}
    for mentor, mentee in zip(pair_mentor.tolist(), pair_mentee.tolist(), strict=True):
        if first.setdefault(mentee, mentor) != mentor:
            raise MatchingError(
                f"mentee {names.mentee(mentee)} is locked to two mentors: "
                f"{names.mentor(first[mentee])} and {names.mentor(mentor)}"
            )
    return np.unique(positions)


def _find_pairs(problem: Problem, mentors: IntArray, mentees: IntArray, names: Names) -> IntArray:
    keys = problem.keys()
    order = np.argsort(keys, kind="stable")
    wanted = mentees * max(problem.n_mentors, 1) + mentors
    at = np.searchsorted(keys[order], wanted).clip(0, max(len(keys) - 1, 0))
    inside = (mentors >= 0) & (mentors < problem.n_mentors) & (mentees >= 0)
    found = inside & (keys[order][at] == wanted) if len(keys) else np.zeros(len(wanted), bool)
    if not found.all():
        k = int(np.flatnonzero(~found)[0])
        pair = names.pair(int(mentors[k]), int(mentees[k]))
        raise MatchingError(f"locked pair {pair} is not an edge")
    positions: IntArray = order[at].astype(np.int64)
    return positions


def check_locks_fit(
    locked: IntArray,
    mentor_of_edge: IntArray,
    mentee_of_edge: IntArray,
    problem: Problem,
    names: Names,
) -> None:
    """Locked pairs alone must respect every capacity and group cap."""
    groups = problem.group_of[mentee_of_edge[locked]]
    limits = (
        ("mentor", names.mentor, mentor_of_edge[locked], problem.capacity, "capacity"),
        ("group", names.group, groups[groups >= 0], problem.group_cap, "its cap is"),
    )
    for what, name, members, limit, limit_is in limits:
        count = np.bincount(members, minlength=len(limit))
        over = np.flatnonzero(count > limit)
        if over.size:
            k = int(over[0])
            raise MatchingError(
                f"{what} {name(k)} has {count[k]} locked mentees but {limit_is} {limit[k]}"
            )
