"""The scored cycle: the rules and scores of every candidate pair, built in
blocks of mentees against every mentor, and the edges the engine solves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..models import RotationCycle
from ..selectors.match_inputs import MatchInputs, Participant, match_inputs
from . import weights
from .arrays import BoolArray, ColumnBest, IntArray, distinct, pairs_in, row_best
from .reasons import AVAILABLE, STAGES, Reasons
from .weights import (
    CROSS_TEAM_BONUS,
    GOAL_WEIGHT,
    OVERLAP_HOUR_WEIGHT,
    UNRATED_GAP,
    overlap_matrix,
    preference_bonus,
    tiebreak,
)

BLOCK_CELLS = 2_000_000  # mentee x mentor cells per block: ~2 MB per boolean matrix
MAX_CHAIN_DEPTH = 64  # as people.selectors: a loop in the reporting line stops the walk


def score_cycle(*, cycle: RotationCycle, signup_ids=None) -> CycleScoring:
    """Load the cycle's active sign-ups and score every candidate pair."""
    return CycleScoring(match_inputs(cycle=cycle, signup_ids=signup_ids))


@dataclass
class Block:
    """The rules for some mentees (rows) against some mentors (columns)."""

    cover: npt.NDArray[np.float32]  # goal points: sum of (1 + gap) over goals taught
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


class CycleScoring(Reasons):
    """The scored cycle: edges for the engine, explanations, unmatched reasons."""

    def __init__(self, inputs: MatchInputs):
        self.inputs = inputs
        self.cycle = inputs.cycle
        self.mentors: list[Participant] = inputs.mentors
        self.mentees: list[Participant] = inputs.mentees
        self._index_people()
        self._index_competencies()
        self._index_rules()
        self._edge_order: IntArray | None = None
        self._score_all()

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
        self._index_ranking()

    def _index_competencies(self) -> None:
        """Teaching as a mentors x competencies 0/1 matrix, goals as a mentees x
        competencies matrix of weights (1 + gap), so goal points are one product."""
        codes = sorted({c for p in self.mentors + self.mentees for c in p.competencies})
        self.codes = codes
        number = {code: k for k, code in enumerate(codes)}
        self.code_number = number
        self.teach = np.zeros((len(self.mentors), len(codes)), dtype=np.float32)
        for j, mentor in enumerate(self.mentors):
            self.teach[j, [number[c] for c in mentor.competencies]] = 1.0
        self.goal_weight = np.zeros((len(self.mentees), len(codes)), dtype=np.float32)
        gaps = self.inputs.gaps
        for i, mentee in enumerate(self.mentees):
            mine = gaps.get(mentee.person_id, {})
            for code in mentee.competencies:
                self.goal_weight[i, number[code]] = 1 + mine.get(code, UNRATED_GAP)
        self.has_goals = np.array([bool(p.competencies) for p in self.mentees], dtype=bool)

    def _index_rules(self) -> None:
        self.mentor_blocked = [self._mentor_blocked(p) for p in self.mentors]
        self.mentee_blocked = [self._mentee_blocked(p) for p in self.mentees]
        self.mentor_ok = np.array([r is None for r in self.mentor_blocked], dtype=bool)
        self.mentee_ok = np.array([r is None for r in self.mentee_blocked], dtype=bool)
        self.chain_i, self.chain_j = self._chain_pairs()
        self.repeat_i, self.repeat_j = self._repeat_pairs()
        self._add_excluded_pairs()
        self.pref_i, self.pref_j, self.pref_rank = self._preferences()
        self.rank_of = {
            (int(i), int(j)): int(r)
            for i, j, r in zip(self.pref_i, self.pref_j, self.pref_rank, strict=True)
        }

    def _mentor_blocked(self, p: Participant) -> str | None:
        cycle, inputs = self.cycle, self.inputs
        common = self._person_blocked(p)
        if common:
            return common
        lowest = inputs.level_positions.get(cycle.mentor_min_level)
        if lowest is None or p.level_position < lowest:
            return (
                f"Your level {p.level_code} is below this cycle's minimum for mentors "
                f"({cycle.mentor_min_level})."
            )
        if p.capacity <= 0:
            return "You offered no capacity (0 mentees), so no one can be paired with you."
        return None

    def _mentee_blocked(self, p: Participant) -> str | None:
        cycle, positions = self.cycle, self.inputs.level_positions
        common = self._person_blocked(p)
        if common:
            return common
        lowest = positions.get(cycle.mentee_min_level)
        highest = positions.get(cycle.mentee_max_level)
        if lowest is None or highest is None or not lowest <= p.level_position <= highest:
            return (
                f"Your level {p.level_code} is outside this cycle's range for mentees "
                f"({cycle.mentee_min_level} to {cycle.mentee_max_level})."
            )
        return None

    def _person_blocked(self, p: Participant) -> str | None:
        limit = self.inputs.commitment_limit
        if not p.is_active:
            return "Your account is deactivated (you have left the organisation)."
        if p.level_problem:
            problem = p.level_problem[0].upper() + p.level_problem[1:]
            return f"{problem}, so seniority cannot be compared."
        if p.commitments >= limit:
            return (
                f"You are at the limit of {limit} concurrent commitments "
                f"(stretch assignments and rotations: {p.commitments} already)."
            )
        return None

    def _chain_pairs(self) -> tuple[IntArray, IntArray]:
        """(mentee, mentor) index pairs where the mentor manages the mentee, at any
        depth. One walk up per mentee over the (id, manager) pairs loaded at once."""
        manager_of = self.inputs.manager_of
        mentors_by_person = {p.person_id: j for j, p in enumerate(self.mentors)}
        rows, cols = [], []
        for i, mentee in enumerate(self.mentees):
            seen: set[int] = set()
            boss = manager_of.get(mentee.person_id)
            while boss is not None and boss not in seen and len(seen) < MAX_CHAIN_DEPTH:
                seen.add(boss)
                j = mentors_by_person.get(boss)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                boss = manager_of.get(boss)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)

    def _repeat_pairs(self) -> tuple[IntArray, IntArray]:
        """Pairs published in the window, either way round (the same two people)."""
        mentors_by_person = {p.person_id: j for j, p in enumerate(self.mentors)}
        mentees_by_person = {p.person_id: i for i, p in enumerate(self.mentees)}
        rows, cols = [], []
        for first, second in self.inputs.past_pairs:
            for mentor_person, mentee_person in ((first, second), (second, first)):
                j = mentors_by_person.get(mentor_person)
                i = mentees_by_person.get(mentee_person)
                if i is not None and j is not None:
                    rows.append(i)
                    cols.append(j)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)

    def _add_excluded_pairs(self) -> None:
        """Review decisions: a pair the people team removed is not eligible for the
        rest of the cycle. It joins the "not repeated" rule, the rule it is closest
        to (these two must not be paired now); refusals() words it apart."""
        rows, cols = [], []
        for mentor_id, mentee_id in self.inputs.excluded:
            i, j = self.mentee_index.get(mentee_id), self.mentor_index.get(mentor_id)
            if i is not None and j is not None:
                rows.append(i)
                cols.append(j)
        if rows:
            self.repeat_i = np.concatenate([self.repeat_i, np.array(rows, dtype=np.int64)])
            self.repeat_j = np.concatenate([self.repeat_j, np.array(cols, dtype=np.int64)])

    def _preferences(self) -> tuple[IntArray, IntArray, IntArray]:
        rows, cols, ranks = [], [], []
        for mentee_id, mentor_id, rank in self.inputs.preferences:
            i, j = self.mentee_index.get(mentee_id), self.mentor_index.get(mentor_id)
            if i is not None and j is not None:
                rows.append(i)
                cols.append(j)
                ranks.append(rank)
        return (
            np.array(rows, dtype=np.int64),
            np.array(cols, dtype=np.int64),
            np.array(ranks, dtype=np.int64),
        )

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
        pr, pc, _ = pairs_in(self.pref_i, self.pref_j, rows, cols)
        candidate[pr, pc] = True
        candidate &= mentee_open
        # Small integer types: these comparisons run on every cell of the block.
        senior = (
            self.mentor_level[cols][None, :]
            >= (self.mentee_level[rows] + self.cycle.min_level_gap)[:, None]
        )
        outside_chain = np.ones(cover.shape, dtype=bool)
        ci, cj, _ = pairs_in(self.chain_i, self.chain_j, rows, cols)
        outside_chain[ci, cj] = False
        if self.cycle.require_cross_team:
            # No team is -1 for a mentee and -2 for a mentor: never "the same team".
            team_ok = self.mentee_team16[rows][:, None] != self.mentor_team16[cols][None, :]
        else:
            team_ok = np.ones(cover.shape, dtype=bool)
        not_repeated = np.ones(cover.shape, dtype=bool)
        ri, rj, _ = pairs_in(self.repeat_i, self.repeat_j, rows, cols)
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

    def _score_all(self) -> None:
        """The candidate edges with their scores, and the funnel counts for reasons.

        Every eligible pair is a candidate in a cycle of ordinary size. In a large
        one, a mentee keeps their CANDIDATES_PER_MENTEE best mentors, a mentor their
        CANDIDATES_PER_MENTOR best mentees, and every ranked preference stays: the
        engine then solves a graph of a few hundred thousand edges instead of
        millions, and rescue_edges() gives anyone it leaves out every eligible
        mentor who still has room."""
        n, m = len(self.mentees), len(self.mentors)
        self.mentee_funnel = np.zeros((n, STAGES), dtype=np.int64)
        self.mentor_funnel = np.zeros((m, STAGES), dtype=np.int64)
        all_mentors = np.arange(m, dtype=np.int64)
        step = max(1, BLOCK_CELLS // max(m, 1))
        kept_keys = [np.zeros(0, dtype=np.int64)]
        best = ColumnBest(m, weights.CANDIDATES_PER_MENTOR)
        for start in range(0, n, step):
            rows = np.arange(start, min(start + step, n), dtype=np.int64)
            block = self.block(rows, all_mentors)
            stages = block.stages()
            for k, stage in enumerate(stages):
                self.mentee_funnel[rows, k] = stage.sum(axis=1, dtype=np.int32)
                self.mentor_funnel[:, k] += stage.sum(axis=0, dtype=np.int32)
            eligible = stages[AVAILABLE]
            ranked = np.where(eligible, self._rank_scores(rows, all_mentors, block), -np.inf)
            counts = self.mentee_funnel[rows, AVAILABLE]
            kept_keys.append(start * m + row_best(ranked, counts, weights.CANDIDATES_PER_MENTEE))
            pr, pc, _ = pairs_in(self.pref_i, self.pref_j, rows, all_mentors)
            preferred = eligible[pr, pc]
            kept_keys.append((rows[pr] * m + pc)[preferred])
            best.add(start, ranked)
        kept_keys.append(best.keys())
        keys = distinct(np.concatenate(kept_keys))
        self.edge_i, self.edge_j = keys // max(m, 1), keys % max(m, 1)
        self.edge_score = self._scores(
            self.edge_i, self.edge_j, self._cover(self.edge_i, self.edge_j)
        )

    def _rank_scores(self, rows: IntArray, cols: IntArray, block: Block):
        """The score of every pair of the block, in float32, plus a tie-break
        smaller than any score step, to rank candidates. The stored scores come
        from _scores: the same formula, in float64, without the tie-break.

        The timezone overlap and the tie-breaks are one small matrix product
        (see _index_ranking), cheaper than gathering a value per cell."""
        score = self.rank_rows[rows] @ self.rank_cols[cols].T
        score += GOAL_WEIGHT * block.cover
        mine, theirs = self.mentee_team16[rows][:, None], self.mentor_team16[cols][None, :]
        score += ((mine != theirs) & (mine >= 0) & (theirs >= 0)) * np.float32(CROSS_TEAM_BONUS)
        pr, pc, inside = pairs_in(self.pref_i, self.pref_j, rows, cols)
        score[pr, pc] += preference_bonus(self.pref_rank[inside]).astype(np.float32)
        return score

    def _index_ranking(self) -> None:
        """Rows x columns factors whose product is, for every pair, the timezone
        overlap points plus both tie-breaks: [overlap of the mentee's zone with
        each zone, tie-break, 1] . [the mentor's zone as 0/1, 1, tie-break]."""
        zones = len(self.zones)
        self.rank_rows = np.hstack(
            [
                OVERLAP_HOUR_WEIGHT * self.overlap[self.mentee_zone],
                tiebreak(self.mentee_ids)[:, None],
                np.ones((len(self.mentees), 1)),
            ]
        ).astype(np.float32)
        self.rank_cols = np.hstack(
            [
                np.eye(zones)[self.mentor_zone],
                np.ones((len(self.mentors), 1)),
                tiebreak(self.mentor_ids)[:, None],
            ]
        ).astype(np.float32)

    def _cover(self, rows: IntArray, cols: IntArray) -> npt.NDArray[np.float32]:
        """Goal points of the given pairs: sum of (1 + gap) over the goals taught."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        return np.einsum("ij,ij->i", self.goal_weight[rows], self.teach[cols])

    def rescue_edges(self, pairs: dict[int, int]) -> list[tuple[int, int, float]]:
        """Every eligible edge from a mentee the assignment left out to a mentor
        who still has room: a second solve over these matches whoever the
        candidate pruning kept from a mentor they could have had."""
        load = np.zeros(len(self.mentors), dtype=np.int64)
        for mentor_id in pairs.values():
            load[self.mentor_index[mentor_id]] += 1
        capacity = np.array(list(self.capacity().values()), dtype=np.int64)
        cols = np.flatnonzero(load < capacity)
        matched = {self.mentee_index[e] for e in pairs}
        rows = np.array(
            [i for i in range(len(self.mentees)) if i not in matched and self.mentee_ok[i]],
            dtype=np.int64,
        )
        if not len(rows) or not len(cols):
            return []
        edges: list[tuple[int, int, float]] = []
        step = max(1, BLOCK_CELLS // len(cols))
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            block = self.block(part, cols)
            bi, bj = np.nonzero(block.stages()[AVAILABLE])
            i, j = part[bi], cols[bj]
            scores = self._scores(i, j, self._cover(i, j))
            edges += zip(
                self.mentor_ids[j].tolist(),
                self.mentee_ids[i].tolist(),
                scores.tolist(),
                strict=True,
            )
        return edges

    def _scores(self, rows: IntArray, cols: IntArray, cover) -> npt.NDArray[np.float64]:
        """Scores of the given pairs, from their goal points and the bonuses."""
        score = GOAL_WEIGHT * cover.astype(np.float64)
        mine, theirs = self.mentee_team[rows], self.mentor_team[cols]
        score += CROSS_TEAM_BONUS * ((mine != theirs) & (mine >= 0) & (theirs >= 0))
        score += OVERLAP_HOUR_WEIGHT * self.overlap[self.mentee_zone[rows], self.mentor_zone[cols]]
        if len(self.pref_i) and len(rows):
            m = max(len(self.mentors), 1)
            keys = rows * m + cols
            pref_keys = self.pref_i * m + self.pref_j
            order = np.argsort(pref_keys)
            at = np.searchsorted(pref_keys[order], keys).clip(0, len(order) - 1)
            hit = pref_keys[order][at] == keys
            ranks = self.pref_rank[order][at]
            score += np.where(hit, preference_bonus(ranks), 0.0)
        return np.round(score, 2)

    # --- what the engine needs -----------------------------------------------------

    def edges(self) -> list[tuple[int, int, float]]:
        """(mentor sign-up id, mentee sign-up id, score) of every candidate edge:
        every eligible pair, or in a large cycle the best of them (see _score_all)."""
        return list(
            zip(
                self.mentor_ids[self.edge_j].tolist(),
                self.mentee_ids[self.edge_i].tolist(),
                self.edge_score.tolist(),
                strict=True,
            )
        )

    def capacity(self) -> dict[int, int]:
        return {
            p.signup_id: (p.capacity if ok else 0)
            for p, ok in zip(self.mentors, self.mentor_ok, strict=True)
        }

    def group_of(self) -> dict[int, int]:
        """Mentee sign-up id -> team id (mentees without a team are in no group)."""
        return {p.signup_id: p.team_id for p in self.mentees if p.team_id is not None}

    def group_cap(self) -> dict[int, int]:
        cap = self.cycle.max_mentees_per_team
        if cap is None:
            return {}
        return {p.team_id: cap for p in self.mentees if p.team_id is not None}

    def has_edge(self, mentor_id: int, mentee_id: int) -> bool:
        """Whether the pair is one of the eligible edges."""
        j, i = self.mentor_index.get(mentor_id), self.mentee_index.get(mentee_id)
        if j is None or i is None:
            return False
        return bool(self._find_edges(np.array([i]), np.array([j]))[0][0])

    def _find_edges(self, rows: IntArray, cols: IntArray) -> tuple[BoolArray, IntArray]:
        """For each (row, col): whether it is an edge, and its position in the edges."""
        if self._edge_order is None:
            self._edge_keys = self.edge_i * max(len(self.mentors), 1) + self.edge_j
            self._edge_order = np.argsort(self._edge_keys, kind="stable")
        keys = rows * max(len(self.mentors), 1) + cols
        sorted_keys = self._edge_keys[self._edge_order]
        if not len(sorted_keys):
            return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
        at = np.searchsorted(sorted_keys, keys).clip(0, len(sorted_keys) - 1)
        return sorted_keys[at] == keys, self._edge_order[at]

    # --- one pair ------------------------------------------------------------------

    def score_of(self, mentor_id: int, mentee_id: int) -> float:
        j, i = self.mentor_index[mentor_id], self.mentee_index[mentee_id]
        rows, cols = np.array([i]), np.array([j])
        cover = self.goal_weight[rows] @ self.teach[cols].T
        return float(self._scores(rows, cols, cover[0])[0])

    def edge_scores(self, pairs: dict[int, int]) -> dict[int, float]:
        """Scores of the chosen pairs (mentee -> mentor sign-up ids), by mentee."""
        if not pairs:
            return {}
        rows = np.array([self.mentee_index[e] for e in pairs], dtype=np.int64)
        cols = np.array([self.mentor_index[r] for r in pairs.values()], dtype=np.int64)
        found, at = self._find_edges(rows, cols)
        return {
            mentee_id: float(self.edge_score[at[k]])
            if found[k]
            else self.score_of(mentor_id, mentee_id)
            for k, (mentee_id, mentor_id) in enumerate(pairs.items())
        }


def _positions(people: list[Participant]) -> IntArray:
    # People without a comparable level are blocked anyway; 0 keeps the arithmetic simple.
    return np.array(
        [p.level_position if p.level_position is not None else 0 for p in people], np.int64
    )


def _teams(people: list[Participant], number: dict[int, int]) -> IntArray:
    return np.array(
        [number[p.team_id] if p.team_id is not None else -1 for p in people], dtype=np.int64
    )
