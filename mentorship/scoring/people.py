"""Who may take part in a cycle's match at all, and the pairs that lists name:
manager chains, pairs published in the repeat window, ranked preferences."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core.voice import Wording

from ..selectors.match_inputs import MatchInputs, Participant
from .arrays import IntArray, PairList, distinct, index_of, int_table

MAX_CHAIN_DEPTH = 64  # as people.selectors: managers walked up at most (a loop ends there)


def mentor_blocked(p: Participant, inputs: MatchInputs) -> Wording | None:
    """Why this mentor cannot be paired with anyone (in either voice), or None."""
    cycle = inputs.cycle
    common = _person_blocked(p, inputs.commitment_limit)
    if common:
        return common
    lowest = inputs.level_positions.get(cycle.mentor_min_level)
    # A person without a comparable level was refused above (_person_blocked).
    position = p.level_position
    if lowest is None or position is None or position < lowest:
        return lambda v: (
            f"{v.Your} level {p.level_code} is below this cycle's minimum for mentors "
            f"({cycle.mentor_min_level})."
        )
    if p.capacity <= 0:
        return lambda v: (
            f"{v.You} offered no capacity (0 mentees), so no one can be paired with {v.them}."
        )
    return None


def mentee_blocked(p: Participant, inputs: MatchInputs) -> Wording | None:
    """Why this mentee cannot be paired with anyone, or None."""
    cycle, positions = inputs.cycle, inputs.level_positions
    common = _person_blocked(p, inputs.commitment_limit)
    if common:
        return common
    lowest = positions.get(cycle.mentee_min_level)
    highest = positions.get(cycle.mentee_max_level)
    position = p.level_position
    if lowest is None or highest is None or position is None:
        outside = True
    else:
        outside = not lowest <= position <= highest
    if outside:
        return lambda v: (
            f"{v.Your} level {p.level_code} is outside this cycle's range for mentees "
            f"({cycle.mentee_min_level} to {cycle.mentee_max_level})."
        )
    return None


def _person_blocked(p: Participant, limit: int) -> Wording | None:
    if not p.is_active:
        return lambda v: f"{v.Your} account is deactivated ({v.they} have left the organisation)."
    problem = p.level_problem
    if problem:
        return lambda v: f"{_capitalised(problem(v))}, so seniority cannot be compared."
    if p.commitments >= limit:
        return lambda v: (
            f"{v.You} {v.be()} at the limit of {limit} concurrent commitments "
            f"(stretch assignments and rotations: {p.commitments} already)."
        )
    return None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def chain_pairs(
    mentee_people: IntArray, mentor_people: IntArray, manager_of: dict[int, int]
) -> PairList:
    """(mentee, mentor) index pairs where the mentor manages the mentee, at any
    depth (person ids in, per mentee and mentor). All mentees walk up their
    reporting lines together, one manager a step, over the (id, manager) pairs
    loaded at once; a loop in a line finds its pairs again (kept once) until
    MAX_CHAIN_DEPTH steps end the walk."""
    people = np.fromiter(manager_of.keys(), np.int64, len(manager_of))
    managers = np.fromiter(manager_of.values(), np.int64, len(manager_of))
    # Every person id as a position in one array, so each step is an array lookup.
    ids = distinct(np.concatenate([people, managers, mentee_people, mentor_people]))
    manager = np.full(len(ids), -1, np.int64)
    manager[np.searchsorted(ids, people)] = np.searchsorted(ids, managers)
    mentor = np.full(len(ids), -1, np.int64)
    mentor[np.searchsorted(ids, mentor_people)] = np.arange(len(mentor_people))
    mentee, boss = np.arange(len(mentee_people)), manager[np.searchsorted(ids, mentee_people)]
    rows, cols = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for _ in range(MAX_CHAIN_DEPTH):
        walking = boss >= 0
        if not walking.any():
            break
        mentee, boss = mentee[walking], boss[walking]
        j = mentor[boss]
        rows.append(mentee[j >= 0])
        cols.append(j[j >= 0])
        boss = manager[boss]
    return PairList.once(np.concatenate(rows), np.concatenate(cols))


def repeat_pairs(
    mentee_people: IntArray,
    mentor_people: IntArray,
    past_pairs: Iterable[tuple[int, int]],
    *,
    also: Iterable[tuple[int, int]] = (),
) -> PairList:
    """Pairs published in the window (person ids), either way round (the same
    two people), and ``also`` (mentee, mentor) index pairs that may not be
    paired either."""
    past = int_table(past_pairs, 2)
    first, second = past[:, 0], past[:, 1]
    i = index_of(mentee_people, np.concatenate([second, first]))
    j = index_of(mentor_people, np.concatenate([first, second]))
    known = (i >= 0) & (j >= 0)
    more = int_table(also, 2)
    return PairList.once(
        np.concatenate([i[known], more[:, 0]]), np.concatenate([j[known], more[:, 1]])
    )


def excluded_pairs(
    mentee_index: dict[int, int],
    mentor_index: dict[int, int],
    excluded: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """(mentee, mentor) index pairs of the (mentor, mentee) sign-up pairs the
    people team removed in this cycle's review."""
    pairs = []
    for mentor_id, mentee_id in excluded:
        i, j = mentee_index.get(mentee_id), mentor_index.get(mentor_id)
        if i is not None and j is not None:
            pairs.append((i, j))
    return pairs


def preference_pairs(
    mentee_ids: IntArray, mentor_ids: IntArray, preferences: Iterable[tuple[int, int, int]]
) -> PairList:
    """(mentee, mentor) index pairs the mentees ranked, with the rank (sign-up
    ids in, per mentee and mentor)."""
    ranked = int_table(preferences, 3)
    i, j = index_of(mentee_ids, ranked[:, 0]), index_of(mentor_ids, ranked[:, 1])
    known = (i >= 0) & (j >= 0)
    return PairList.of(i[known], j[known], ranked[known, 2])
