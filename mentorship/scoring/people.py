"""Who may take part in a cycle's match at all, and the pairs that lists name:
manager chains, pairs published in the repeat window, ranked preferences."""

from __future__ import annotations

from collections.abc import Iterable

from core.voice import Wording

from ..selectors.match_inputs import MatchInputs, Participant
from .arrays import PairList

MAX_CHAIN_DEPTH = 64  # as people.selectors: a loop in the reporting line stops the walk


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
    mentees: list[Participant], mentors: list[Participant], manager_of: dict[int, int]
) -> PairList:
    """(mentee, mentor) index pairs where the mentor manages the mentee, at any
    depth. One walk up per mentee over the (id, manager) pairs loaded at once."""
    mentors_by_person = {p.person_id: j for j, p in enumerate(mentors)}
    rows: list[int] = []
    cols: list[int] = []
    for i, mentee in enumerate(mentees):
        seen: set[int] = set()
        boss = manager_of.get(mentee.person_id)
        while boss is not None and boss not in seen and len(seen) < MAX_CHAIN_DEPTH:
            seen.add(boss)
            j = mentors_by_person.get(boss)
            if j is not None:
                rows.append(i)
                cols.append(j)
            boss = manager_of.get(boss)
    return PairList.of(rows, cols)


def repeat_pairs(
    mentees: list[Participant],
    mentors: list[Participant],
    past_pairs: Iterable[tuple[int, int]],
    *,
    also: Iterable[tuple[int, int]] = (),
) -> PairList:
    """Pairs published in the window, either way round (the same two people),
    and ``also`` (mentee, mentor) index pairs that may not be paired either."""
    mentors_by_person = {p.person_id: j for j, p in enumerate(mentors)}
    mentees_by_person = {p.person_id: i for i, p in enumerate(mentees)}
    pairs: set[tuple[int, int]] = set(also)
    for first, second in past_pairs:
        for mentor_person, mentee_person in ((first, second), (second, first)):
            j = mentors_by_person.get(mentor_person)
            i = mentees_by_person.get(mentee_person)
            if i is not None and j is not None:
                pairs.add((i, j))
    return PairList.of([i for i, _ in pairs], [j for _, j in pairs])


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
    mentee_index: dict[int, int],
    mentor_index: dict[int, int],
    preferences: Iterable[tuple[int, int, int]],
) -> PairList:
    """(mentee, mentor) index pairs the mentees ranked, with the rank."""
    rows: list[int] = []
    cols: list[int] = []
    ranks: list[int] = []
    for mentee_id, mentor_id, rank in preferences:
        i, j = mentee_index.get(mentee_id), mentor_index.get(mentor_id)
        if i is not None and j is not None:
            rows.append(i)
            cols.append(j)
            ranks.append(rank)
    return PairList.of(rows, cols, ranks)
