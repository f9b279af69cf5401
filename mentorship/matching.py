"""The exact matching engine: pairs mentees with mentors so that as many mentees
as possible are matched and, among those assignments, the total score is largest.

Pure Python (numpy and OR-Tools, no Django), so onboarding can use it to pick
buddies and tests can run it on plain data. Two entry points, one engine:

    result = solve_arrays(mentors, mentees, scores, capacity)   # numpy in, numpy out
    result.mentor_of      # per mentee index, the mentor index or -1

    pairs = solve(edges, capacity)   # -> dict[mentee, mentor], for callers with ids

``solve_arrays`` is what the match run feeds end to end: the eligible pairs as
int64 index arrays (mentors 0..len(capacity)-1, mentees 0..n_mentees-1), so no
Python work is done per pair. ``solve`` maps ids to indices (in their natural
sort order) and calls the same engine.

How it works: a min-cost flow, solved by OR-Tools' ``SimpleMinCostFlow`` with
``solve_max_flow_with_min_cost`` (the largest flow first, then the cheapest of
those flows), on this network::

    source -> [group node, cap = group cap] -> mentee (cap 1) -> mentor (cap 1,
    cost = best score - score) -> sink (cap = mentor capacity)

Every unit of flow crosses exactly one mentee -> mentor arc, so for a fixed
number of matches the cheapest flow is the one with the largest total score.

Decisions worth knowing:

- Scores become integer units for the solver with the smallest scale that is
  exact: integers as they are; other scores times the smallest divisor of
  ``FLOAT_SCALE`` (10**6) that makes every one of them a whole number (scores in
  quarters are scaled by 4, in cents by 100). Scores with more than six decimals
  are rounded to micro-units (1 / FLOAT_SCALE): the result is then exactly
  optimal for the rounded scores, so its total is within ``matched * 1e-6`` of
  the true optimum. The costs are then divided by their greatest common divisor:
  smaller costs mean fewer scaling rounds for the solver, and the same optimum.
  NaN and infinite scores are refused.
- Every mentor with an edge needs a capacity (in ``solve``, a missing entry is
  far more often a bug in the caller than a deliberate 0; extra entries are fine).
- ``locked`` pairs are assigned first (their mentor's capacity and their
  group's cap shrink accordingly), then the rest is solved: the result is the
  optimum among assignments that contain every locked pair. The same pair
  locked twice counts once.
- Determinism: the network is built with the edges in (mentee, mentor) index
  order, whatever order they come in, so the same edges in any order give the
  same result. ``solve`` numbers ids in their natural sort order (or, for ids
  that do not compare, by type name then ``repr``); ids of one type with the
  same ``repr`` that are not equal are the one case this cannot order.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # no py.typed: see [tool.mypy] in pyproject

__all__ = [
    "FLOAT_SCALE",
    "ArrayMatch",
    "MatchResult",
    "MatchingError",
    "solve",
    "solve_arrays",
    "solve_with_stats",
]

Mentor = TypeVar("Mentor", bound=Hashable)
Mentee = TypeVar("Mentee", bound=Hashable)
Group = TypeVar("Group", bound=Hashable)
T = TypeVar("T", bound=Hashable)

FLOAT_SCALE = 10**6
"""Scores that no smaller divisor of this makes whole are rounded to 1 / FLOAT_SCALE."""

_SCALES = [d for d in range(1, FLOAT_SCALE + 1) if FLOAT_SCALE % d == 0]  # 49, ascending
_PROBE = 512  # scores tried first with each scale: most scales fail on the first few
_INT64_MAX = 2**63 - 1
_SHOWN = 5  # how many offending ids an error message names

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ArrayLike = npt.ArrayLike


class MatchingError(ValueError):
    """The input cannot be matched as given; the message says what is wrong."""


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
    mentor_of_edge = _index_array(mentors, "mentors")
    mentee_of_edge = _index_array(mentees, "mentees")
    score_array = np.asarray(scores)
    if score_array.ndim != 1 or not (
        len(mentor_of_edge) == len(mentee_of_edge) == len(score_array)
    ):
        raise MatchingError("mentors, mentees and scores must be 1-D arrays of the same length")
    capacity_array = _count_array(capacity, "capacity", "mentor")
    if group_of is not None and n_mentees is None:
        n_mentees = len(np.asarray(group_of))
    if n_mentees is None:
        n_mentees = int(mentee_of_edge.max()) + 1 if len(mentee_of_edge) else 0
    _check_range(mentor_of_edge, len(capacity_array), "mentor", "capacity has")
    _check_range(mentee_of_edge, n_mentees, "mentee", "n_mentees is")
    cap_array = (
        _count_array(group_cap, "group_cap", "group")
        if group_cap is not None
        else np.zeros(0, np.int64)
    )
    if group_of is None:
        group_array = np.full(n_mentees, -1, np.int64)
    else:
        group_array = _index_array(group_of, "group_of")
        if len(group_array) != n_mentees:
            raise MatchingError(f"group_of has {len(group_array)} entries for {n_mentees} mentees")
        _check_range(group_array[group_array != -1], len(cap_array), "group", "group_cap has")
    names = _Names(_shown, _shown, _shown)
    units, exact = _score_units(score_array, names.edge_of(mentor_of_edge, mentee_of_edge))
    problem = _Problem(
        mentor=mentor_of_edge,
        mentee=mentee_of_edge,
        units=units,
        capacity=capacity_array,
        n_mentees=n_mentees,
        group_of=group_array,
        group_cap=cap_array,
    )
    pair_of = _assign(problem, _locked_positions(locked, problem, names), names)
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

    Raises ``MatchingError`` on bad input (see the module docstring).
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
    _check_counts(capacity, "capacity", "mentor")
    _check_counts(group_cap, "group_cap", "group")

    edge_list = list(edges)
    mentor_col, mentee_col, score_col = _columns(edge_list)
    mentors = _canonical(mentor_col, "mentor id")
    mentees = _canonical(mentee_col, "mentee id")
    missing = [mentor for mentor in mentors if mentor not in capacity]
    if missing:
        raise MatchingError(
            f"mentor(s) {_names(missing)} have edges but no capacity entry "
            "(give them a capacity, 0 if they take no one)"
        )
    groups = _canonical(group_cap.keys(), "group")
    mentor_index = {mentor: i for i, mentor in enumerate(mentors)}
    mentee_index = {mentee: i for i, mentee in enumerate(mentees)}
    group_index = {group: k for k, group in enumerate(groups)}
    count = len(edge_list)
    names = _Names(
        lambda i: repr(mentors[i]), lambda j: repr(mentees[j]), lambda g: repr(groups[g])
    )
    problem = _Problem(
        mentor=np.fromiter(map(mentor_index.__getitem__, mentor_col), np.int64, count),
        mentee=np.fromiter(map(mentee_index.__getitem__, mentee_col), np.int64, count),
        units=np.zeros(0, np.int64),
        capacity=np.fromiter((int(capacity[m]) for m in mentors), np.int64, len(mentors)),
        n_mentees=len(mentees),
        group_of=np.fromiter(
            (group_index.get(_group(group_of, m, group_cap), -1) for m in mentees),
            np.int64,
            len(mentees),
        ),
        group_cap=np.fromiter((int(group_cap[g]) for g in groups), np.int64, len(groups)),
    )
    units, exact = _score_units(score_col, names.edge_of(problem.mentor, problem.mentee))
    problem.units = units
    pairs_locked = _locked_indices(locked, mentor_index, mentee_index)
    pair_of = _assign(problem, _locked_positions(pairs_locked, problem, names), names)

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


# --- the engine ---------------------------------------------------------------------------


@dataclass
class _Problem:
    """The eligible pairs as index arrays, their integer score units, and the limits."""

    mentor: IntArray
    mentee: IntArray
    units: IntArray
    capacity: IntArray  # per mentor
    n_mentees: int
    group_of: IntArray  # per mentee, -1 when in no capped group
    group_cap: IntArray  # per group

    @property
    def n_mentors(self) -> int:
        return len(self.capacity)

    def keys(self) -> IntArray:
        """One int64 per pair, ordered by mentee then mentor."""
        return self.mentee * max(self.n_mentors, 1) + self.mentor


@dataclass(frozen=True)
class _Names:
    """How error messages name a mentor, a mentee and a group: by id for
    ``solve``, by index for ``solve_arrays``."""

    mentor: Callable[[int], str]
    mentee: Callable[[int], str]
    group: Callable[[int], str]

    def pair(self, mentor: int, mentee: int) -> str:
        return f"({self.mentor(mentor)}, {self.mentee(mentee)})"

    def edge_of(self, mentors: IntArray, mentees: IntArray) -> Callable[[int], str]:
        return lambda e: self.pair(int(mentors[e]), int(mentees[e]))


def _shown(index: int) -> str:
    return str(index)


def _assign(problem: _Problem, locked: IntArray, names: _Names) -> IntArray:
    """Per mentee, the position of its pair in the optimum (-1: unmatched)."""
    keys = problem.keys()
    # Canonical order: by mentee, then mentor. Sorted input (the match run's) is
    # checked in one pass; other input is sorted, and duplicates become neighbours.
    order: IntArray | None = None
    if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        order = np.argsort(keys, kind="stable").astype(np.int64)
        keys = keys[order]
        repeated = np.flatnonzero(keys[1:] == keys[:-1])
        if repeated.size:
            first = int(order[repeated[0]])
            pair = names.pair(int(problem.mentor[first]), int(problem.mentee[first]))
            raise MatchingError(f"duplicate edge: {pair} appears more than once")
    del keys  # 8 bytes per pair, not needed while the solver runs
    mentor_of_edge = problem.mentor if order is None else problem.mentor[order]
    mentee_of_edge = problem.mentee if order is None else problem.mentee[order]
    units = problem.units if order is None else problem.units[order]
    if order is not None:  # locked positions, in canonical order
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        locked = rank[locked]

    _check_locks_fit(locked, mentor_of_edge, mentee_of_edge, problem, names)
    # What is left once the locked pairs are in (more than the mentees would be moot).
    remaining = np.minimum(problem.capacity, problem.n_mentees)
    remaining -= np.bincount(mentor_of_edge[locked], minlength=problem.n_mentors)
    locked_groups = problem.group_of[mentee_of_edge[locked]]
    group_left = problem.group_cap - np.bincount(
        locked_groups[locked_groups >= 0], minlength=len(problem.group_cap)
    )
    is_locked = np.zeros(problem.n_mentees, dtype=bool)
    is_locked[mentee_of_edge[locked]] = True

    chosen_edges = [locked]
    free = ~is_locked[mentee_of_edge] & (remaining[mentor_of_edge] > 0)
    if free.any():
        everything = bool(free.all())  # the common case: no copies of 3M-long arrays
        free_edges = np.arange(len(free)) if everything else np.flatnonzero(free)
        flows = _max_flow_min_cost(
            mentor_of_edge if everything else mentor_of_edge[free_edges],
            mentee_of_edge if everything else mentee_of_edge[free_edges],
            units if everything else units[free_edges],
            remaining,
            problem.group_of,
            group_left,
            is_locked,
        )
        chosen_edges.append(free_edges[flows > 0])
    picked = np.concatenate(chosen_edges).astype(np.int64)
    pair_of = np.full(problem.n_mentees, -1, np.int64)
    pair_of[mentee_of_edge[picked]] = picked if order is None else order[picked]
    return pair_of


def _max_flow_min_cost(
    edge_mentor: IntArray,
    edge_mentee: IntArray,
    edge_units: IntArray,
    remaining: IntArray,
    group_of: IntArray,
    group_left: IntArray,
    is_locked: BoolArray,
) -> IntArray:
    """Solve the network for the free edges; return the flow on each (0 or 1)."""
    best, worst = int(edge_units.max()), int(edge_units.min())
    n_mentees, n_mentors = len(group_of), len(remaining)
    open_group = np.where(is_locked, -1, group_of)
    capped = np.flatnonzero(np.bincount(open_group[open_group >= 0], minlength=len(group_left)))
    group_node = np.full(len(group_left) + 1, 0, np.int64)  # the last entry: "no group"
    group_node[capped] = 2 + np.arange(len(capped))
    first_mentee = 2 + len(capped)
    first_mentor = first_mentee + n_mentees
    nodes = first_mentor + n_mentors
    # OR-Tools scales costs by the number of nodes; beyond this they overflow.
    if (best - worst) * (nodes + 3) >= _INT64_MAX:
        raise MatchingError(
            f"scores span too wide a range to solve exactly ({best - worst} units over "
            f"{nodes} nodes overflow 64 bits); scale the scores down"
        )
    costs = best - edge_units  # >= 0, and for a fixed flow the same optimum as -score
    divisor = int(np.gcd.reduce(costs)) if best != worst else 1
    if divisor > 1:
        costs //= divisor

    # source (0) -> capped group -> mentee; source -> mentee in no capped group.
    mentee_tail = group_node[np.where(open_group >= 0, open_group, len(group_left))]
    group_caps = np.clip(group_left[capped], 0, n_mentees)
    # Node numbers as int32 from the start: OR-Tools wants them so, and a 64-bit
    # copy of every arc would be the largest temporary of the whole solve.
    tails = np.concatenate(
        [
            (edge_mentee + first_mentee).astype(np.int32),
            np.zeros(len(capped), np.int32),
            mentee_tail.astype(np.int32),
            np.arange(first_mentor, first_mentor + n_mentors, dtype=np.int32),
        ]
    )
    heads = np.concatenate(
        [
            (edge_mentor + first_mentor).astype(np.int32),
            group_node[capped].astype(np.int32),
            np.arange(first_mentee, first_mentee + n_mentees, dtype=np.int32),
            np.ones(n_mentors, np.int32),  # the sink is node 1
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(len(edge_mentor), np.int64),
            group_caps,
            (~is_locked).astype(np.int64),
            remaining,
        ]
    )
    unit_costs = np.concatenate([costs, np.zeros(len(capped) + n_mentees + n_mentors, np.int64)])

    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    network.set_node_supply(0, n_mentees)
    network.set_node_supply(1, -n_mentees)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise MatchingError(f"the flow solver stopped with status {status.name}")
    flows: IntArray = np.asarray(
        network.flows(np.arange(len(edge_mentor), dtype=np.int32)), dtype=np.int64
    )
    return flows


# --- checking the input -------------------------------------------------------------------


def _index_array(values: ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise MatchingError(f"{name} must be a 1-D array of integer indices")
    return array.astype(np.int64, copy=False)


def _count_array(values: ArrayLike, name: str, what: str) -> IntArray:
    """Capacities and group caps as arrays: ints >= 0."""
    array = _index_array(values, name)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        k = int(negative[0])
        raise MatchingError(f"{name} of {what} {k} is negative ({int(array[k])})")
    return array


def _check_range(indices: IntArray, size: int, what: str, bound: str) -> None:
    outside = np.flatnonzero((indices < 0) | (indices >= size))
    if outside.size:
        bad = int(indices[outside[0]])
        raise MatchingError(f"{what} index {bad} is out of range ({bound} {size})")


def _check_counts(counts: Mapping[Any, Any], name: str, what: str) -> None:
    """Capacities and group caps are ints >= 0."""
    for key, value in counts.items():
        if type(value) is not int and (  # the common case first: 5,000 checks add up
            isinstance(value, bool) or not isinstance(value, numbers.Integral)
        ):
            raise MatchingError(f"{name} of {what} {key!r} must be an int, got {value!r}")
        if value < 0:
            raise MatchingError(f"{name} of {what} {key!r} is negative ({value})")


def _columns(edge_list: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """Split the edges into mentor, mentee and score columns, checking their shape."""
    try:
        well_formed = set(map(len, edge_list)) <= {3}
    except TypeError:
        well_formed = False
    if not well_formed:
        bad = next(e for e in edge_list if not isinstance(e, Sized) or len(e) != 3)
        raise MatchingError(f"each edge must be a (mentor, mentee, score) triple, got {bad!r}")
    try:
        columns = [list(map(itemgetter(k), edge_list)) for k in range(3)]
    except (TypeError, KeyError, IndexError):
        raise MatchingError("each edge must be a (mentor, mentee, score) triple") from None
    return columns[0], columns[1], columns[2]


def _canonical(ids: Iterable[T], what: str = "id") -> list[T]:
    """The distinct ids in a fixed order that does not depend on the input's order."""
    try:
        unique = set(ids)
    except TypeError as error:
        raise MatchingError(f"{what}s must be hashable ({error})") from None
    try:
        return sorted(unique)  # type: ignore[type-var]
    except TypeError:  # ids of mixed types, or that do not compare
        return sorted(unique, key=lambda x: (type(x).__module__, type(x).__qualname__, repr(x)))


def _names(ids: Sequence[object]) -> str:
    shown = ", ".join(repr(x) for x in ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


def _score_units(scores: Any, edge: Callable[[int], str]) -> tuple[IntArray, bool]:
    """Scores as int64 units for the solver, and whether they are exact as given
    (integers). ``edge(k)`` names the k-th edge in error messages."""
    if len(scores) == 0:
        return np.zeros(0, np.int64), True
    try:
        array = np.asarray(scores)
    except (OverflowError, ValueError, TypeError):
        array = np.asarray(scores, dtype=object)
    if array.dtype.kind == "O":  # Decimal, Fraction, huge ints, or not numbers at all
        converted: list[int | float] = []
        for i, score in enumerate(array.tolist()):
            if isinstance(score, numbers.Integral) and not isinstance(score, bool):
                converted.append(int(score))
            elif isinstance(score, numbers.Real | Decimal) and not isinstance(score, bool):
                converted.append(float(score))
            else:
                raise MatchingError(_bad_score(edge(i), "is not a number", score))
        if all(isinstance(score, int) for score in converted):
            if min(converted) < -_INT64_MAX or max(converted) > _INT64_MAX:
                raise MatchingError("integer scores must fit in 64 bits; scale them down")
            return np.asarray(converted, dtype=np.int64), True
        array = np.asarray(converted, dtype=np.float64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64), True
    if array.dtype.kind != "f":
        values = array.tolist()
        i = next(i for i, s in enumerate(values) if isinstance(s, bool) or not _is_number(s))
        raise MatchingError(_bad_score(edge(i), "is not a number", values[i]))
    array = array.astype(np.float64)
    finite = np.isfinite(array)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise MatchingError(_bad_score(edge(i), "is not finite", array[i].item()))
    if np.abs(array).max() * FLOAT_SCALE >= 2.0**62:
        raise MatchingError(
            f"scores up to {np.abs(array).max():g} are too large to solve exactly once "
            f"scaled by {FLOAT_SCALE}; scale them down"
        )
    return np.rint(array * _exact_scale(array)).astype(np.int64), False


def _exact_scale(array: npt.NDArray[np.float64]) -> int:
    """The smallest divisor of FLOAT_SCALE that makes every score a whole number
    (to the precision of a double), else FLOAT_SCALE: scores then round."""
    probe = array[:_PROBE]
    for scale in _SCALES:
        if _whole(probe, scale) and _whole(array, scale):
            return scale
    return FLOAT_SCALE


def _whole(array: npt.NDArray[np.float64], scale: int) -> bool:
    scaled = array * scale
    return bool(np.all(np.rint(scaled) / scale == array))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real | Decimal)


def _bad_score(edge: str, problem: str, value: object) -> str:
    return f"score of edge {edge} {problem}: {value!r}"


def _group(group_of: Mapping[Any, Any], mentee: Any, group_cap: Mapping[Any, int]) -> Any:
    """The mentee's group if that group is capped, else None."""
    group = group_of.get(mentee)
    try:
        return group if group is not None and group in group_cap else None
    except TypeError:
        raise MatchingError(f"group of mentee {mentee!r} must be hashable, got {group!r}") from None


def _locked_indices(
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


def _locked_positions(locked: ArrayLike | None, problem: _Problem, names: _Names) -> IntArray:
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
        _check_range(array, len(problem.mentor), "locked pair position", "there are edges:")
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


def _find_pairs(problem: _Problem, mentors: IntArray, mentees: IntArray, names: _Names) -> IntArray:
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


def _check_locks_fit(
    locked: IntArray,
    mentor_of_edge: IntArray,
    mentee_of_edge: IntArray,
    problem: _Problem,
    names: _Names,
) -> None:
    """Locked pairs alone must respect every capacity and group cap."""
    per_mentor = np.bincount(mentor_of_edge[locked], minlength=problem.n_mentors)
    over = np.flatnonzero(per_mentor > problem.capacity)
    if over.size:
        i = int(over[0])
        raise MatchingError(
            f"mentor {names.mentor(i)} has {per_mentor[i]} locked mentees but capacity "
            f"{problem.capacity[i]}"
        )
    groups = problem.group_of[mentee_of_edge[locked]]
    per_group = np.bincount(groups[groups >= 0], minlength=len(problem.group_cap))
    over = np.flatnonzero(per_group > problem.group_cap)
    if over.size:
        g = int(over[0])
        raise MatchingError(
            f"group {names.group(g)} has {per_group[g]} locked mentees but its cap is "
            f"{problem.group_cap[g]}"
        )
