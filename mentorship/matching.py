"""The exact matching engine: pairs mentees with mentors so that as many mentees
as possible are matched and, among those assignments, the total score is largest.

Pure Python (numpy and OR-Tools, no Django), so onboarding can use it to pick
buddies and tests can run it on plain data.

    pairs = solve(edges, capacity)   # -> dict[mentee, mentor]

How it works: a min-cost flow, solved by OR-Tools' ``SimpleMinCostFlow`` with
``solve_max_flow_with_min_cost`` (the largest flow first, then the cheapest of
those flows), on this network::

    source -> [group node, cap = group cap] -> mentee (cap 1) -> mentor (cap 1,
    cost = best score - score) -> sink (cap = mentor capacity)

Every unit of flow crosses exactly one mentee -> mentor arc, so for a fixed
number of matches the cheapest flow is the one with the largest total score.

Decisions worth knowing:

- Scores: if every score is an integer, they are used as they are (exact).
  Otherwise they are rounded to micro-units (``FLOAT_SCALE`` = 10**6, six
  decimal places) before solving: the result is exactly optimal for the rounded
  scores, so its total is within ``matched * 1e-6`` of the true optimum.
  NaN and infinite scores are refused.
- Every mentor in ``edges`` needs a ``capacity`` entry (a missing one is far
  more often a bug in the caller than a deliberate 0); extra entries are fine.
- ``locked`` pairs are assigned first (their mentor's capacity and their
  group's cap shrink accordingly), then the rest is solved: the result is the
  optimum among assignments that contain every locked pair. The same pair
  locked twice counts once.
- Determinism: ids are put in their natural sort order (or, for ids that do not
  compare, by type name then ``repr``) and the network is built in that order,
  so the same edges in any order give the same result. Ids of one type with
  the same ``repr`` that are not equal are the one case this cannot order.
"""

from __future__ import annotations

import math
import numbers
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]  # no py.typed

__all__ = ["FLOAT_SCALE", "MatchResult", "MatchingError", "solve", "solve_with_stats"]

Mentor = TypeVar("Mentor", bound=Hashable)
Mentee = TypeVar("Mentee", bound=Hashable)
Group = TypeVar("Group", bound=Hashable)
T = TypeVar("T", bound=Hashable)

FLOAT_SCALE = 10**6
"""Non-integer scores are rounded to 1 / FLOAT_SCALE before solving."""

_INT64_MAX = 2**63 - 1
_SHOWN = 5  # how many offending ids an error message names

IntArray = npt.NDArray[np.int64]


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
    """``solve``, also returning the total score, the count and the time taken."""
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

    mentor_index = {mentor: i for i, mentor in enumerate(mentors)}
    mentee_index = {mentee: i for i, mentee in enumerate(mentees)}
    count = len(edge_list)
    mentor_of_edge = np.fromiter(map(mentor_index.__getitem__, mentor_col), np.int64, count)
    mentee_of_edge = np.fromiter(map(mentee_index.__getitem__, mentee_col), np.int64, count)
    units, exact = _score_units(score_col, edge_list)

    # Canonical edge order: by mentee, then mentor. Duplicates become neighbours.
    keys = mentee_of_edge * max(len(mentors), 1) + mentor_of_edge
    order = np.argsort(keys, kind="stable")
    keys, mentor_of_edge, mentee_of_edge, units = (
        keys[order],
        mentor_of_edge[order],
        mentee_of_edge[order],
        units[order],
    )
    repeated = np.flatnonzero(keys[1:] == keys[:-1])
    if repeated.size:
        first = int(order[repeated[0]])
        mentor, mentee = edge_list[first][0], edge_list[first][1]
        raise MatchingError(f"duplicate edge: ({mentor!r}, {mentee!r}) appears more than once")

    # Locked pairs: check them, then take them out of the problem.
    locked_edges = _locked_edges(locked, mentor_index, mentee_index, keys, len(mentors))
    mentee_group: list[Any] = [_group(group_of, mentee, group_cap) for mentee in mentees]
    _check_locks_fit(
        locked_edges, mentor_of_edge, mentee_of_edge, mentors, capacity, mentee_group, group_cap
    )
    # What is left once the locked pairs are in (more than the mentees would be moot).
    remaining = [min(int(capacity[mentor]), len(mentees)) for mentor in mentors]
    group_left: dict[Any, int] = {group: int(cap) for group, cap in group_cap.items()}
    for edge in locked_edges:
        remaining[int(mentor_of_edge[edge])] -= 1
        group = mentee_group[int(mentee_of_edge[edge])]
        if group is not None:
            group_left[group] -= 1

    is_locked = np.zeros(len(mentees), dtype=bool)
    is_locked[mentee_of_edge[locked_edges]] = True
    chosen = np.zeros(count, dtype=bool)
    chosen[locked_edges] = True
    free = ~is_locked[mentee_of_edge] & (np.asarray(remaining, np.int64)[mentor_of_edge] > 0)
    if free.any():
        flows = _max_flow_min_cost(
            np.flatnonzero(free),
            mentor_of_edge,
            mentee_of_edge,
            units,
            remaining,
            mentee_group,
            group_left,
            is_locked,
        )
        chosen[np.flatnonzero(free)[flows > 0]] = True

    picked = np.flatnonzero(chosen)  # already in canonical mentee order
    pairs: dict[Mentee, Mentor] = {
        mentees[int(mentee_of_edge[e])]: mentors[int(mentor_of_edge[e])] for e in picked
    }
    original = [score_col[int(order[e])] for e in picked]
    total: float = sum(int(s) for s in original) if exact else math.fsum(map(float, original))
    return MatchResult(
        pairs=pairs,
        total_score=total,
        matched=len(pairs),
        seconds=time.perf_counter() - started,
    )


def _max_flow_min_cost(
    free_edges: npt.NDArray[np.intp],
    mentor_of_edge: IntArray,
    mentee_of_edge: IntArray,
    units: IntArray,
    remaining: list[int],
    mentee_group: list[Any],
    group_left: dict[Any, int],
    is_locked: npt.NDArray[np.bool_],
) -> IntArray:
    """Solve the network for the free edges; return the flow on each (0 or 1)."""
    edge_mentor = mentor_of_edge[free_edges]
    edge_mentee = mentee_of_edge[free_edges]
    edge_units = units[free_edges]
    best, worst = int(edge_units.max()), int(edge_units.min())

    n_mentees, n_mentors = len(mentee_group), len(remaining)
    capped = _canonical(
        g for g, lock in zip(mentee_group, is_locked, strict=True) if g is not None and not lock
    )
    group_node = {group: 2 + i for i, group in enumerate(capped)}
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

    # source (0) -> capped group -> mentee; source -> uncapped mentee.
    mentee_tail = np.array(
        [group_node.get(group, 0) if group is not None else 0 for group in mentee_group],
        dtype=np.int64,
    )
    group_caps = [max(min(group_left[group], n_mentees), 0) for group in capped]
    tails = np.concatenate(
        [
            first_mentee + edge_mentee,
            np.zeros(len(capped), np.int64),
            mentee_tail,
            first_mentor + np.arange(n_mentors),
        ]
    )
    heads = np.concatenate(
        [
            first_mentor + edge_mentor,
            np.asarray(list(group_node.values()), np.int64),
            first_mentee + np.arange(n_mentees),
            np.ones(n_mentors, np.int64),  # the sink is node 1
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(len(free_edges), np.int64),
            np.asarray(group_caps, np.int64),
            (~is_locked).astype(np.int64),
            np.asarray(remaining, np.int64),
        ]
    )
    unit_costs = np.concatenate([costs, np.zeros(len(capped) + n_mentees + n_mentors, np.int64)])

    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, unit_costs.astype(np.int64)
    )
    network.set_node_supply(0, n_mentees)
    network.set_node_supply(1, -n_mentees)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise MatchingError(f"the flow solver stopped with status {status.name}")
    flows: IntArray = np.asarray(
        network.flows(np.arange(len(free_edges), dtype=np.int32)), dtype=np.int64
    )
    return flows


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


def _score_units(scores: Sequence[Any], edge_list: list[Any]) -> tuple[IntArray, bool]:
    """Scores as int64 units for the solver, and whether they are exact (all ints)."""
    if not scores:
        return np.zeros(0, np.int64), True
    try:
        array = np.asarray(scores)
    except (OverflowError, ValueError, TypeError):
        array = np.asarray(scores, dtype=object)
    if array.dtype.kind == "O":  # Decimal, Fraction, huge ints, or not numbers at all
        converted: list[int | float] = []
        for i, score in enumerate(scores):
            if isinstance(score, numbers.Integral) and not isinstance(score, bool):
                converted.append(int(score))
            elif isinstance(score, numbers.Real | Decimal) and not isinstance(score, bool):
                converted.append(float(score))
            else:
                raise MatchingError(_bad_score(edge_list[i], "is not a number"))
        if all(isinstance(score, int) for score in converted):
            if min(converted) < -_INT64_MAX or max(converted) > _INT64_MAX:
                raise MatchingError("integer scores must fit in 64 bits; scale them down")
            return np.asarray(converted, dtype=np.int64), True
        array = np.asarray(converted, dtype=np.float64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64), True
    if array.dtype.kind != "f":
        i = next(i for i, s in enumerate(scores) if isinstance(s, bool) or not _is_number(s))
        raise MatchingError(_bad_score(edge_list[i], "is not a number"))
    array = array.astype(np.float64)
    finite = np.isfinite(array)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise MatchingError(_bad_score(edge_list[i], "is not finite"))
    if np.abs(array).max() * FLOAT_SCALE >= 2.0**62:
        raise MatchingError(
            f"scores up to {np.abs(array).max():g} are too large to solve exactly once "
            f"scaled by {FLOAT_SCALE}; scale them down"
        )
    return np.rint(array * FLOAT_SCALE).astype(np.int64), False


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real | Decimal)


def _bad_score(edge: Any, problem: str) -> str:
    return f"score of edge ({edge[0]!r}, {edge[1]!r}) {problem}: {edge[2]!r}"


def _group(group_of: Mapping[Any, Any], mentee: Any, group_cap: Mapping[Any, int]) -> Any:
    """The mentee's group if that group is capped, else None."""
    group = group_of.get(mentee)
    try:
        return group if group is not None and group in group_cap else None
    except TypeError:
        raise MatchingError(f"group of mentee {mentee!r} must be hashable, got {group!r}") from None


def _locked_edges(
    locked: Iterable[tuple[Any, Any]],
    mentor_index: dict[Any, int],
    mentee_index: dict[Any, int],
    keys: IntArray,
    n_mentors: int,
) -> npt.NDArray[np.intp]:
    """Positions (in canonical edge order) of the locked pairs, each once."""
    positions: set[int] = set()
    mentee_locked_to: dict[Any, Any] = {}
    for pair in locked:
        try:
            mentor, mentee = pair
        except (TypeError, ValueError):
            raise MatchingError(f"a locked pair must be (mentor, mentee), got {pair!r}") from None
        i, j = mentor_index.get(mentor), mentee_index.get(mentee)
        position = -1
        if i is not None and j is not None:
            key = j * max(n_mentors, 1) + i
            position = int(np.searchsorted(keys, key))
            if position >= len(keys) or keys[position] != key:
                position = -1
        if position < 0:
            raise MatchingError(f"locked pair ({mentor!r}, {mentee!r}) is not an edge")
        if mentee in mentee_locked_to and mentee_locked_to[mentee] != mentor:
            raise MatchingError(
                f"mentee {mentee!r} is locked to two mentors: "
                f"{mentee_locked_to[mentee]!r} and {mentor!r}"
            )
        mentee_locked_to[mentee] = mentor
        positions.add(position)
    return np.asarray(sorted(positions), dtype=np.intp)


def _check_locks_fit(
    locked_edges: npt.NDArray[np.intp],
    mentor_of_edge: IntArray,
    mentee_of_edge: IntArray,
    mentors: list[Any],
    capacity: Mapping[Any, int],
    mentee_group: list[Any],
    group_cap: Mapping[Any, int],
) -> None:
    """Locked pairs alone must respect every capacity and group cap."""
    per_mentor = Counter(int(mentor_of_edge[e]) for e in locked_edges)
    for i in sorted(per_mentor):
        if per_mentor[i] > capacity[mentors[i]]:
            raise MatchingError(
                f"mentor {mentors[i]!r} has {per_mentor[i]} locked mentees but capacity "
                f"{capacity[mentors[i]]}"
            )
    per_group = Counter(mentee_group[int(mentee_of_edge[e])] for e in locked_edges)
    for group in _canonical(g for g in per_group if g is not None):
        if per_group[group] > group_cap[group]:
            raise MatchingError(
                f"group {group!r} has {per_group[group]} locked mentees but its cap is "
                f"{group_cap[group]}"
            )
