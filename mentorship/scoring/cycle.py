"""The scored cycle: the candidate edges the engine solves (candidates.py),
the funnel counts, the rescue's pairs (rescue.py), scores of chosen pairs,
and the words (reasons.py), over the index arrays of indexes.py."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..models import RotationCycle
from ..selectors.match_inputs import MatchInputs, match_inputs
from . import candidates, groups, weights
from .arrays import BoolArray, Float32Array, FloatArray, IntArray, distinct, member
from .funnel import ListedPairs, Side, funnel_counts
from .indexes import CycleIndex
from .reasons import PairRules, ReasonInputs, Reasons
from .rescue import Rescue
from .weights import (
    CROSS_TEAM_BONUS,
    GOAL_WEIGHT,
    OVERLAP_HOUR_WEIGHT,
    preference_bonus,
)


def score_cycle(*, cycle: RotationCycle, signup_ids: Iterable[int] | None = None) -> CycleScoring:
    """Load the cycle's active sign-ups and score every candidate pair."""
    return CycleScoring(match_inputs(cycle=cycle, signup_ids=signup_ids))


class CycleScoring(CycleIndex):
    """The scored cycle: edges for the engine (as index arrays), explanations and
    unmatched reasons (from its Reasons)."""

    def __init__(self, inputs: MatchInputs):
        super().__init__(inputs)
        self._score_all()
        self.reasons = Reasons(self._reason_inputs())

    # --- the candidates and the funnel -------------------------------------------------

    def _score_all(self) -> None:
        """The candidate edges with their scores, and the funnel counts for reasons.

        Every eligible pair is a candidate in a cycle of ordinary size. In a large
        one, a mentee keeps their CANDIDATES_PER_MENTEE best mentors, a mentor their
        CANDIDATES_PER_MENTOR best mentees, and every eligible ranked preference
        stays (candidates.py, generated without visiting every pair): the engine
        then solves a graph of a few hundred thousand edges instead of millions,
        and rescue() offers anyone it leaves out the eligible mentors who still
        have room (rescue.py)."""
        m = len(self.mentors)
        self.mentee_funnel, self.mentor_funnel = self._funnels()
        keys, eighths = candidates.generate(
            self.candidate_inputs(),
            weights.CANDIDATES_PER_MENTEE,
            weights.CANDIDATES_PER_MENTOR,
        )
        self.edge_keys = keys  # sorted: mentee-major, as the engine wants them
        self.edge_i, self.edge_j = keys // max(m, 1), keys % max(m, 1)
        # The same values as _scores (exact binary fractions), without its per-pair gathers.
        self.edge_score = candidates.scores(eighths)

    def candidate_inputs(
        self, mentee_open: BoolArray | None = None, mentor_open: BoolArray | None = None
    ) -> groups.Inputs:
        """The index arrays the candidate generation reads; with ``mentee_open``
        or ``mentor_open``, only those people take part (the rescue's)."""
        mentee_open = self.mentee_ok if mentee_open is None else mentee_open
        mentor_open = self.mentor_ok if mentor_open is None else mentor_open
        return groups.Inputs(
            goal_weight=self.goal_weight,
            teach=self.teach,
            mentees=groups.people(
                self.mentee_zone, self.mentee_team, self.mentee_pos, mentee_open, self.mentee_ids
            ),
            mentors=groups.people(
                self.mentor_zone, self.mentor_team, self.mentor_pos, mentor_open, self.mentor_ids
            ),
            overlap=self.overlap,
            min_level_gap=self.cycle.min_level_gap,
            cross_required=self.cycle.require_cross_team,
            prefs=self.prefs,
            chain=self.chain,
            repeat=self.repeat,
        )

    def _funnels(self) -> tuple[IntArray, IntArray]:
        """How many partners each person has left after each rule (see funnel.py)."""
        return funnel_counts(
            Side(self.goal_weight > 0, self.mentee_level, self.mentee_team, self.mentee_ok),
            Side(self.teach > 0, self.mentor_level, self.mentor_team, self.mentor_ok),
            self._listed_pairs(),
            min_level_gap=self.cycle.min_level_gap,
            cross_team=self.cycle.require_cross_team,
        )

    def _listed_pairs(self) -> ListedPairs:
        """Every pair named in a list (preference, manager chain, past pair), once,
        with what each list says of it."""
        m = max(len(self.mentors), 1)
        keys = distinct(
            np.concatenate([self.prefs.keys(m), self.chain.keys(m), self.repeat.keys(m)])
        )
        i, j = keys // m, keys % m
        return ListedPairs(
            mentee=i,
            mentor=j,
            ordinary=(self._cover(i, j) > 0) | ~self.has_goals[i],
            preferred=member(self.prefs.keys(m), keys),
            chained=member(self.chain.keys(m), keys),
            repeated=member(self.repeat.keys(m), keys),
        )

    def _cover(self, rows: IntArray, cols: IntArray) -> Float32Array:
        """Goal points of the given pairs: sum of (1 + gap) over the goals taught."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        cover: Float32Array = np.einsum("ij,ij->i", self.goal_weight[rows], self.teach[cols])
        return cover

    def rescue(self, mentor_of: IntArray, may_match: BoolArray) -> Rescue:
        """The second solve's pairs for an assignment (mentor index per mentee,
        -1 unmatched): whoever it left out, to mentors who still have room (see
        rescue.py). ``may_match`` leaves out mentees who cannot be matched
        anyway (their team's cap is reached)."""
        return Rescue(self, mentor_of, may_match)

    def _scores(self, rows: IntArray, cols: IntArray, cover: Float32Array) -> FloatArray:
        """Scores of the given pairs, from their goal points and the bonuses."""
        score = GOAL_WEIGHT * cover.astype(np.float64)
        mine, theirs = self.mentee_team[rows], self.mentor_team[cols]
        score += CROSS_TEAM_BONUS * ((mine != theirs) & (mine >= 0) & (theirs >= 0))
        score += OVERLAP_HOUR_WEIGHT * self.overlap[self.mentee_zone[rows], self.mentor_zone[cols]]
        if len(self.pref_keys) and len(rows):
            # The preference keys are sorted once (PairList): no sort per call.
            keys = rows * max(len(self.mentors), 1) + cols
            at = np.searchsorted(self.pref_keys, keys).clip(0, len(self.pref_keys) - 1)
            hit = self.pref_keys[at] == keys
            score += np.where(hit, preference_bonus(self.pref_rank[at]), 0.0)
        rounded: FloatArray = np.round(score, 2)
        return rounded

    # --- what the engine needs -----------------------------------------------------

    def edges(self) -> list[tuple[int, int, float]]:
        """(mentor sign-up id, mentee sign-up id, score) of every candidate edge:
        every eligible pair, or in a large cycle the best of them (see _score_all).
        The run uses the arrays (edge_i, edge_j, edge_score) directly."""
        return list(
            zip(
                self.mentor_ids[self.edge_j].tolist(),
                self.mentee_ids[self.edge_i].tolist(),
                self.edge_score.tolist(),
                strict=True,
            )
        )

    def capacity_array(self) -> IntArray:
        """Per mentor index, the capacity offered (0 for a blocked mentor)."""
        offered = np.array([p.capacity for p in self.mentors], dtype=np.int64)
        return np.where(self.mentor_ok, offered, 0).astype(np.int64)

    def capacity(self) -> dict[int, int]:
        return dict(zip(self.mentor_ids.tolist(), self.capacity_array().tolist(), strict=True))

    def group_arrays(self) -> tuple[IntArray, IntArray]:
        """Per mentee index, their team's group number (-1: no team or no cap), and
        per group the cap: the cycle's cap on mentees matched per team."""
        cap = self.cycle.max_mentees_per_team
        if cap is None:
            return np.full(len(self.mentees), -1, np.int64), np.zeros(0, np.int64)
        teams = int(self.mentee_team.max(initial=-1)) + 1
        return self.mentee_team.copy(), np.full(teams, cap, np.int64)

    def group_of(self) -> dict[int, int]:
        """Mentee sign-up id -> team id (mentees without a team are in no group)."""
        return {p.signup_id: p.team_id for p in self.mentees if p.team_id is not None}

    def group_cap(self) -> dict[int, int]:
        cap = self.cycle.max_mentees_per_team
        if cap is None:
            return {}
        return {p.team_id: cap for p in self.mentees if p.team_id is not None}

    def mentor_of(self, pairs: dict[int, int]) -> IntArray:
        """An assignment of sign-up ids (mentee -> mentor) as a mentor index per mentee."""
        mentor_of = np.full(len(self.mentees), -1, np.int64)
        for mentee_id, mentor_id in pairs.items():
            mentor_of[self.mentee_index[mentee_id]] = self.mentor_index[mentor_id]
        return mentor_of

    def has_edge(self, mentor_id: int, mentee_id: int) -> bool:
        """Whether the pair is one of the eligible edges."""
        j, i = self.mentor_index.get(mentor_id), self.mentee_index.get(mentee_id)
        if j is None or i is None:
            return False
        return bool(self._edge_at(np.array([i]), np.array([j]))[0] >= 0)

    def _edge_at(self, rows: IntArray, cols: IntArray) -> IntArray:
        """For each (row, col), its position in the edges, or -1. The edges are
        sorted by (mentee, mentor) as they are built."""
        keys = rows * max(len(self.mentors), 1) + cols
        if not len(self.edge_keys):
            return np.full(len(keys), -1, np.int64)
        at = np.searchsorted(self.edge_keys, keys).clip(0, len(self.edge_keys) - 1)
        return np.where(self.edge_keys[at] == keys, at, -1).astype(np.int64)

    # --- one pair, and chosen pairs --------------------------------------------------

    def score_of(self, mentor_id: int, mentee_id: int) -> float:
        j, i = self.mentor_index[mentor_id], self.mentee_index[mentee_id]
        rows, cols = np.array([i]), np.array([j])
        return float(self._scores(rows, cols, self._cover(rows, cols))[0])

    def pair_scores(self, rows: IntArray, cols: IntArray) -> FloatArray:
        """Scores of chosen pairs (mentee, mentor indices): an edge's stored score,
        computed for the few pairs that are not edges (rescued ones are)."""
        at = self._edge_at(rows, cols)
        scores = self.edge_score[np.maximum(at, 0)] if len(self.edge_score) else np.zeros(len(at))
        missing = at < 0
        if missing.any():
            scores = scores.copy()
            r, c = rows[missing], cols[missing]
            scores[missing] = self._scores(r, c, self._cover(r, c))
        return scores

    # --- words (see reasons.py) -------------------------------------------------------

    def _reason_inputs(self) -> ReasonInputs:
        return ReasonInputs(
            cycle=self.cycle,
            competency_names=self.inputs.competency_names,
            gaps=self.inputs.gaps,
            mentors=self.mentors,
            mentees=self.mentees,
            mentor_index=self.mentor_index,
            mentee_index=self.mentee_index,
            mentor_blocked=self.mentor_blocked,
            mentee_blocked=self.mentee_blocked,
            teach=self.teach,
            goal_weight=self.goal_weight,
            code_number=self.code_number,
            rank_of=self.rank_of,
            overlap=self.overlap,
            zone_number=self.zone_number,
            mentee_funnel=self.mentee_funnel,
            mentor_funnel=self.mentor_funnel,
            rules=self.rules,
            excluded=set(self.inputs.excluded),
        )

    def rules(self, i: int, j: int) -> PairRules:
        """The hard rules for mentee i and mentor j, one flag each."""
        block = self.block(np.array([i], np.int64), np.array([j], np.int64))
        return PairRules(
            mentee_open=bool(self.mentee_ok[i]),
            mentor_open=bool(self.mentor_ok[j]),
            senior=bool(block.senior[0, 0]),
            outside_chain=bool(block.outside_chain[0, 0]),
            team_ok=bool(block.team_ok[0, 0]),
            not_repeated=bool(block.not_repeated[0, 0]),
        )

    def refusals(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Every hard rule the pair breaks, in words; empty if it may be paired."""
        return self.reasons.refusals(mentor_id, mentee_id)

    def explain(self, mentor_id: int, mentee_id: int) -> list[str]:
        """Why this pair scores what it does, in sentences, from the mentee's side."""
        return self.reasons.explain(mentor_id, mentee_id)

    def explanations(self, rows: IntArray, cols: IntArray) -> list[list[str]]:
        """``explain`` for the chosen pairs (mentee and mentor indices), in one pass."""
        return self.reasons.explanations(rows, cols)

    def unmatched(self, pairs: dict[int, int]) -> list[dict[str, object]]:
        """A reason for everyone the assignment (mentee -> mentor sign-up ids) left out."""
        return self.unmatched_of(self.mentor_of(pairs))

    def unmatched_of(self, mentor_of: IntArray) -> list[dict[str, object]]:
        """A reason for everyone the assignment (mentor index per mentee) left out."""
        offered = np.array([p.capacity for p in self.mentors], dtype=np.int64)
        return self.reasons.unmatched(mentor_of, self.edge_i, self.edge_j, offered)
