"""A cycle's people and lists as index arrays (mentees and mentors by
position, teams, levels, timezones, goals and teaching, the listed pairs),
and the hard rules on any block of mentees x mentors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..selectors.match_inputs import MatchInputs, Participant
from .arrays import BoolArray, Float32Array, IntArray
from .people import (
    chain_pairs,
    excluded_pairs,
    mentee_blocked,
    mentor_blocked,
    preference_pairs,
    repeat_pairs,
)
from .weights import UNRATED_GAP, overlap_matrix


@dataclass
class Block:
    """The rules for some mentees (rows) against some mentors (columns)."""

    cover: Float32Array  # goal points: sum of (1 + gap) over goals taught
    candidate: BoolArray
    senior: BoolArray
    outside_chain: BoolArray
    team_ok: BoolArray
    not_repeated: BoolArray
    mentor_open: BoolArray  # (1, columns)
    mentee_open: BoolArray  # (rows, 1)

    def stages(self) -> list[BoolArray]:
        """The funnel, cumulatively: each stage is the previous one and one more rule."""
        stages = [self.candidate]
        for rule in (self.senior, self.outside_chain, self.team_ok, self.not_repeated):
            stages.append(stages[-1] & rule)
        stages.append(stages[-1] & self.mentor_open)
        return stages


class CycleIndex:
    """The index arrays of a cycle (built once from its MatchInputs) and the
    hard rules on blocks of pairs: what CycleScoring scores."""

    def __init__(self, inputs: MatchInputs):
        self.inputs = inputs
        self.cycle = inputs.cycle
        self.mentors: list[Participant] = inputs.mentors
        self.mentees: list[Participant] = inputs.mentees
        self._index_people()
        self._index_competencies()
        self._index_rules()

    # --- setting up the arrays -----------------------------------------------------

    def _index_people(self) -> None:
        self.mentor_index = {p.signup_id: j for j, p in enumerate(self.mentors)}
        self.mentee_index = {p.signup_id: i for i, p in enumerate(self.mentees)}
        self.mentor_ids = np.array([p.signup_id for p in self.mentors], dtype=np.int64)
        self.mentee_ids = np.array([p.signup_id for p in self.mentees], dtype=np.int64)
        self.mentor_pos = _positions(self.mentors)
        self.mentee_pos = _positions(self.mentees)
        teams = {p.team_id for p in self.mentors + self.mentees if p.team_id is not None}
        team_number = {team: k for k, team in enumerate(sorted(teams))}
        self.mentor_team = _teams(self.mentors, team_number)
        self.mentee_team = _teams(self.mentees, team_number)
        self.mentee_team16 = self.mentee_team.astype(np.int16)
        self.mentor_team16 = np.where(self.mentor_team < 0, -2, self.mentor_team).astype(np.int16)
        self.mentee_level = self.mentee_pos.astype(np.int16)
        self.mentor_level = self.mentor_pos.astype(np.int16)

        zones = sorted({p.timezone for p in self.mentors + self.mentees})
        zone_number = {zone: k for k, zone in enumerate(zones)}
        self.zones = zones
        self.zone_number = zone_number
        self.overlap = overlap_matrix(zones, self.cycle.starts_on)
        self.mentor_zone = np.array([zone_number[p.timezone] for p in self.mentors], np.int64)
        self.mentee_zone = np.array([zone_number[p.timezone] for p in self.mentees], np.int64)

    def _index_competencies(self) -> None:
        """Teaching as a mentors x competencies 0/1 matrix, goals as a mentees x
        competencies matrix of weights (1 + gap), so goal points are one product."""
        codes = sorted({c for p in self.mentors + self.mentees for c in p.competencies})
        self.codes = codes
        number = {code: k for k, code in enumerate(codes)}
        self.code_number = number
        # One numpy assignment per matrix, of everyone's cells at once: one
        # per person took most of this method's time.
        self.teach = np.zeros((len(self.mentors), len(codes)), dtype=np.float32)
        self.teach[_cells(self.mentors, number)] = 1.0
        self.goal_weight = np.zeros((len(self.mentees), len(codes)), dtype=np.float32)
        gaps = self.inputs.gaps
        unrated: dict[str, int] = {}  # a mentee without ratings: every goal unrated
        self.goal_weight[_cells(self.mentees, number)] = [
            1 + gaps.get(p.person_id, unrated).get(code, UNRATED_GAP)
            for p in self.mentees
            for code in p.competencies
        ]
        self.has_goals = np.array([bool(p.competencies) for p in self.mentees], dtype=bool)

    def _index_rules(self) -> None:
        inputs = self.inputs
        self.mentor_blocked = [mentor_blocked(p, inputs) for p in self.mentors]
        self.mentee_blocked = [mentee_blocked(p, inputs) for p in self.mentees]
        self.mentor_ok = np.array([r is None for r in self.mentor_blocked], dtype=bool)
        self.mentee_ok = np.array([r is None for r in self.mentee_blocked], dtype=bool)
        # Sorted by (mentee, mentor) once: blocks slice them, lookups binary-search them.
        mentee_people = np.array([p.person_id for p in self.mentees], dtype=np.int64)
        mentor_people = np.array([p.person_id for p in self.mentors], dtype=np.int64)
        self.chain = chain_pairs(mentee_people, mentor_people, inputs.manager_of)
        # A pair the people team removed in review joins the "not repeated" rule,
        # the rule closest to it (these two must not be paired now); the
        # explanations word it apart.
        removed = excluded_pairs(self.mentee_index, self.mentor_index, inputs.excluded)
        self.repeat = repeat_pairs(mentee_people, mentor_people, inputs.past_pairs, also=removed)
        self.prefs = preference_pairs(self.mentee_ids, self.mentor_ids, inputs.preferences)
        self.chain_i, self.chain_j = self.chain.rows, self.chain.cols
        self.repeat_i, self.repeat_j = self.repeat.rows, self.repeat.cols
        self.pref_i, self.pref_j, self.pref_rank = (
            self.prefs.rows,
            self.prefs.cols,
            self.prefs.values,
        )
        self.pref_keys = self.prefs.keys(len(self.mentors))
        self.rank_of = {
            (i, j): r
            for i, j, r in zip(
                self.pref_i.tolist(), self.pref_j.tolist(), self.pref_rank.tolist(), strict=True
            )
        }

    # --- the rules on blocks -------------------------------------------------------

    def block(self, rows: IntArray, cols: IntArray) -> Block:
        """Every rule for mentees ``rows`` x mentors ``cols`` (sorted index arrays).

        Candidates exclude mentees who are blocked themselves, so the funnel
        counts of mentors only count mentees who could be paired at all."""
        cover = self.goal_weight[rows] @ self.teach[cols].T
        mentee_open = self.mentee_ok[rows][:, None]
        candidate = cover > 0
        if not self.has_goals[rows].all():
            candidate |= ~self.has_goals[rows][:, None]
        pr, pc, _ = self.prefs.within(rows, cols)
        candidate[pr, pc] = True
        candidate &= mentee_open
        # Small integer types: these comparisons run on every cell of the block.
        senior = (
            self.mentor_level[cols][None, :]
            >= (self.mentee_level[rows] + self.cycle.min_level_gap)[:, None]
        )
        outside_chain = np.ones(cover.shape, dtype=bool)
        ci, cj, _ = self.chain.within(rows, cols)
        outside_chain[ci, cj] = False
        if self.cycle.require_cross_team:
            # No team is -1 for a mentee and -2 for a mentor: never "the same team".
            team_ok = self.mentee_team16[rows][:, None] != self.mentor_team16[cols][None, :]
        else:
            team_ok = np.ones(cover.shape, dtype=bool)
        not_repeated = np.ones(cover.shape, dtype=bool)
        ri, rj, _ = self.repeat.within(rows, cols)
        not_repeated[ri, rj] = False
        return Block(
            cover=cover,
            candidate=candidate,
            senior=senior,
            outside_chain=outside_chain,
            team_ok=team_ok,
            not_repeated=not_repeated,
            mentor_open=self.mentor_ok[cols][None, :],
            mentee_open=mentee_open,
        )


def _cells(people: list[Participant], number: dict[str, int]) -> tuple[IntArray, IntArray]:
    """(row, column) of every person's competencies, person by person."""
    rows = np.repeat(np.arange(len(people)), np.array([len(p.competencies) for p in people], int))
    cols = np.array([number[c] for p in people for c in p.competencies], dtype=np.int64)
    return rows, cols


def _positions(people: list[Participant]) -> IntArray:
    # People without a comparable level are blocked anyway; 0 keeps the arithmetic simple.
    return np.array(
        [p.level_position if p.level_position is not None else 0 for p in people], np.int64
    )


def _teams(people: list[Participant], number: dict[int, int]) -> IntArray:
    return np.array(
        [number[p.team_id] if p.team_id is not None else -1 for p in people], dtype=np.int64
    )
