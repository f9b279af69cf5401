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

    everyone = np.ones(len(mentors.level), dtype=bool)
    h_all = np.bincount(kind_b, minlength=len(b_level))
    h_open = np.bincount(kind_b[mentors.open], minlength=len(b_level))
    mentee = np.zeros((len(mentees.level), STAGES), dtype=np.int64)
    mentee[:, TEACHES] = (candidate_int @ h_all)[kind_a]
    mentee[:, SENIOR] = (senior_int @ h_all)[kind_a]
    mentee[:, OUTSIDE_CHAIN] = mentee[:, TEAM_OK] = mentee[:, SENIOR]
    mentee[:, AVAILABLE] = (senior_int @ h_open)[kind_a]
    if cross:  # minus the mentors of the mentee's own team
        own = mentees.team >= 0
        at = (mentees.team[own], kind_a[own])
        by_mentor_kind = np.ascontiguousarray(senior_int.T)
        same = _team_sums(kind_b, mentors.team, everyone, teams, by_mentor_kind)
        mentee[own, TEAM_OK] -= same[at]
        same = _team_sums(kind_b, mentors.team, mentors.open, teams, by_mentor_kind)
        mentee[own, AVAILABLE] -= same[at]
    mentee[:, NOT_REPEATED] = mentee[:, TEAM_OK]
    mentee[~mentees.open] = 0

    g_open = np.bincount(kind_a[mentees.open], minlength=len(a_level))
    mentor = np.zeros((len(mentors.level), STAGES), dtype=np.int64)
    mentor[:, TEACHES] = (g_open @ candidate_int)[kind_b]
    mentor[:, SENIOR] = (g_open @ senior_int)[kind_b]
    mentor[:, OUTSIDE_CHAIN] = mentor[:, TEAM_OK] = mentor[:, SENIOR]
    if cross:
        own = mentors.team >= 0
        same = _team_sums(kind_a, mentees.team, mentees.open, teams, senior_int)
        mentor[own, TEAM_OK] -= same[mentors.team[own], kind_b[own]]
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


def _team_sums(
    kind: IntArray, team: IntArray, where: BoolArray, teams: int, table: IntArray
) -> IntArray:
    """teams x columns: per team, the rows of ``table`` (kinds x columns) summed
    over the team's people (``where``), each by their kind. The same as a
    teams x kinds count table times ``table``, but team by team over the few
    kinds each team has: that table is mostly zeros."""
    sums = np.zeros((teams, table.shape[1]), dtype=np.int64)
    keep = where & (team >= 0)
    for t, kinds in _split_by(team[keep], kind[keep]):
        present, count = np.unique(kinds, return_counts=True)
        sums[t] = count @ table[present]
    return sums


def _split_by(labels: IntArray, values: IntArray) -> list[tuple[int, IntArray]]:
    """(label, its values) per distinct label."""
    order = np.argsort(labels, kind="stable")
    labels, values = labels[order], values[order]
    bounds = np.flatnonzero(np.diff(labels)) + 1
    return [
        (int(label[0]), part)
        for label, part in zip(np.split(labels, bounds), np.split(values, bounds), strict=True)
        if len(part)
    ]


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
