"""The candidate funnel counted without visiting every pair: for each person,
how many partners are left after each hard rule (reasons.STAGES), which every
"why unmatched" sentence is made of.

Apart from three short lists of named pairs (preferences, manager chains, past
pairs), whether a pair passes a rule depends only on what its two people are:
the mentee's goals and level, the mentor's teaching and level, both teams,
whether each may be paired at all. So people are grouped into kinds (the same
goals or teaching, the same level) and counted (per team too, for the
cross-team rule); a kinds x kinds table says which rules hold; and each listed
pair is then moved from the stages it was counted in as an ordinary pair to the
stages it really passes. Exact: tests/mentorship/test_scoring_candidates.py
compares the counts with a scan of every pair."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arrays import BoolArray, IntArray
from .reasons import (
    AVAILABLE,
    NOT_REPEATED,
    OUTSIDE_CHAIN,
    SENIOR,
    STAGES,
    TEACHES,
    TEAM_OK,
)

Int16Array = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Side:
    """The mentees or the mentors, as the funnel sees them."""

    flags: BoolArray  # people x competencies: learning goals, or what they teach
    level: Int16Array  # level position
    team: IntArray  # team number, -1 for no team (never "the same team")
    open: BoolArray  # may be paired at all (level, commitments, capacity...)


@dataclass(frozen=True)
class ListedPairs:
    """Every pair named in a list, once (mentee and mentor indices), and what
    the lists and the goals say of it."""

    mentee: IntArray
    mentor: IntArray
    ordinary: BoolArray  # a candidate without its preference: teaches a goal, or no goals
    preferred: BoolArray
    chained: BoolArray  # the mentor is in the mentee's manager chain
    repeated: BoolArray  # paired within the repeat window


def funnel_counts(
    mentees: Side, mentors: Side, listed: ListedPairs, *, min_level_gap: int, cross_team: bool
) -> tuple[IntArray, IntArray]:
    """(mentees x STAGES, mentors x STAGES) counts of partners left per stage.
    Integer products throughout: numpy does them in its own loops, where float
    products go to BLAS, whose threads spin (and count as CPU time) on a busy
    machine."""
    kind_a, a_goals, a_level = _kinds(mentees.flags, mentees.level)
    kind_b, b_teach, b_level = _kinds(mentors.flags, mentors.level)
    no_goals = np.count_nonzero(a_goals, axis=1) == 0
    candidate = _sharing(a_goals, b_teach) | no_goals[:, None]
    senior = candidate & (b_level[None, :] >= (a_level + min_level_gap)[:, None])
    teams = int(max(mentees.team.max(initial=-1), mentors.team.max(initial=-1))) + 1
    cross = cross_team and teams > 0
    candidate_int, senior_int = candidate.astype(np.int64), senior.astype(np.int64)

    # Partners on one's own team, subtracted at the cross-team rule (zeros without it).
    own = _own_team(mentees, mentors, kind_a, kind_b, senior, teams if cross else 0)

    h_all = np.bincount(kind_b, minlength=len(b_level))
    h_open = np.bincount(kind_b[mentors.open], minlength=len(b_level))
    mentee = np.zeros((len(mentees.level), STAGES), dtype=np.int64)
    mentee[:, TEACHES] = (candidate_int @ h_all)[kind_a]
    mentee[:, SENIOR] = (senior_int @ h_all)[kind_a]
    mentee[:, OUTSIDE_CHAIN] = mentee[:, SENIOR]
    mentee[:, TEAM_OK] = mentee[:, SENIOR] - own.mentors
    mentee[:, NOT_REPEATED] = mentee[:, TEAM_OK]
    mentee[:, AVAILABLE] = (senior_int @ h_open)[kind_a] - own.open_mentors
    mentee[~mentees.open] = 0

    g_open = np.bincount(kind_a[mentees.open], minlength=len(a_level))
    mentor = np.zeros((len(mentors.level), STAGES), dtype=np.int64)
    mentor[:, TEACHES] = (g_open @ candidate_int)[kind_b]
    mentor[:, SENIOR] = (g_open @ senior_int)[kind_b]
    mentor[:, OUTSIDE_CHAIN] = mentor[:, SENIOR]
    mentor[:, TEAM_OK] = mentor[:, SENIOR] - own.open_mentees
    mentor[:, NOT_REPEATED] = mentor[:, TEAM_OK]
    mentor[:, AVAILABLE] = np.where(mentors.open, mentor[:, TEAM_OK], 0)

    _correct(mentee, mentor, mentees, mentors, listed, min_level_gap, cross_team)
    return mentee, mentor


def _sharing(a: BoolArray, b: BoolArray) -> BoolArray:
    """Whether each row of ``a`` shares a flag with each row of ``b``: one AND of
    two int64 bit sets per pair of kinds when the flags fit in 63 bits."""
    if a.shape[1] > 63:
        shared: BoolArray = (a.astype(np.int64) @ b.T.astype(np.int64)) > 0
        return shared
    bit = 1 << np.arange(a.shape[1], dtype=np.int64)
    a_bits, b_bits = a.astype(np.int64) @ bit, b.astype(np.int64) @ bit
    any_shared: BoolArray = (a_bits[:, None] & b_bits[None, :]) != 0
    return any_shared


@dataclass(frozen=True)
class OwnTeam:
    """Per person, the partners on their own team who pass the seniority rule
    (all zeros for people without a team)."""

    mentors: IntArray  # per mentee: every such mentor...
    open_mentors: IntArray  # ...and those who may be paired
    open_mentees: IntArray  # per mentor: the mentees who may be paired


def _own_team(
    mentees: Side, mentors: Side, kind_a: IntArray, kind_b: IntArray, senior: BoolArray, teams: int
) -> OwnTeam:
    """OwnTeam, team by team, over the slice of the kinds table (senior: mentee
    kinds x mentor kinds) that the team's own people have: a few hundred kinds
    of each per team, where the whole table has thousands of mentor kinds."""
    own = OwnTeam(*(np.zeros(n, np.int64) for n in (len(kind_a), len(kind_a), len(kind_b))))
    for a, b in zip(_members(mentees.team, teams), _members(mentors.team, teams), strict=True):
        a_kinds, a_of = np.unique(kind_a[a], return_inverse=True)
        b_kinds, b_of = np.unique(kind_b[b], return_inverse=True)
        table = senior[a_kinds][:, b_kinds].astype(np.int64)
        by_b_kind = np.stack(
            [
                np.bincount(b_of, minlength=len(b_kinds)),
                np.bincount(b_of[mentors.open[b]], minlength=len(b_kinds)),
            ],
            axis=1,
        )
        per_a_kind = table @ by_b_kind
        own.mentors[a], own.open_mentors[a] = per_a_kind[a_of, 0], per_a_kind[a_of, 1]
        open_by_a_kind = np.bincount(a_of[mentees.open[a]], minlength=len(a_kinds))
        own.open_mentees[b] = (table.T @ open_by_a_kind)[b_of]
    return own


def _members(team: IntArray, teams: int) -> list[IntArray]:
    """The people (indices) of each team 0 .. teams - 1."""
    order = np.argsort(team, kind="stable")
    bounds = np.searchsorted(team[order], np.arange(teams + 1))
    return [order[bounds[t] : bounds[t + 1]] for t in range(teams)]


def _correct(
    mentee: IntArray,
    mentor: IntArray,
    mentees: Side,
    mentors: Side,
    listed: ListedPairs,
    min_level_gap: int,
    cross_team: bool,
) -> None:
    """Move each listed pair from the stages it was counted in as an ordinary
    pair to the stages it passes."""
    i, j = listed.mentee, listed.mentor
    if not len(i):
        return
    senior = mentors.level[j] >= mentees.level[i] + min_level_gap
    team_ok = np.ones(len(i), dtype=bool)
    if cross_team:
        mine, theirs = mentees.team[i], mentors.team[j]
        team_ok = (mine != theirs) | (mine < 0) | (theirs < 0)
    counted = _cumulative(
        mentees.open[i] & listed.ordinary, [senior, True, team_ok, True, mentors.open[j]]
    )
    true = _cumulative(
        mentees.open[i] & (listed.ordinary | listed.preferred),
        [senior, ~listed.chained, team_ok, ~listed.repeated, mentors.open[j]],
    )
    change = true.astype(np.int64) - counted.astype(np.int64)
    for k in range(STAGES):
        mentee[:, k] += np.bincount(i, weights=change[:, k], minlength=len(mentee)).astype(np.int64)
        mentor[:, k] += np.bincount(j, weights=change[:, k], minlength=len(mentor)).astype(np.int64)


def _kinds(flags: BoolArray, level: Int16Array) -> tuple[IntArray, BoolArray, IntArray]:
    """People grouped by kind (the same flags and the same level): the kind of
    each person, and each kind's flags and level."""
    if not len(level):
        return np.zeros(0, np.int64), flags[:0], np.zeros(0, np.int64)
    width = flags.shape[1]
    levels = level.astype(np.int64)
    if width + int(levels.max()).bit_length() > 62 or levels.min() < 0:
        table = np.hstack([flags.astype(np.int64), levels[:, None]])
        kinds, kind_of = np.unique(table, axis=0, return_inverse=True)
        return kind_of.reshape(-1).astype(np.int64), kinds[:, :-1] > 0, kinds[:, -1]
    # One int64 per person (the flags as bits, the level above them): a sort
    # of numbers instead of np.unique's sort of rows.
    bits = flags.astype(np.int64) @ (1 << np.arange(width, dtype=np.int64))
    keys, kind_of = np.unique(bits | (levels << width), return_inverse=True)
    kind_flags = ((keys[:, None] >> np.arange(width, dtype=np.int64)) & 1) > 0
    return kind_of.reshape(-1).astype(np.int64), kind_flags, keys >> width


def _cumulative(first: BoolArray, rules: list[BoolArray | bool]) -> BoolArray:
    """The funnel's stages for listed pairs: each the previous one and one rule."""
    stages = [first]
    for rule in rules:
        stages.append(stages[-1] & rule)
    return np.stack(stages, axis=1)
