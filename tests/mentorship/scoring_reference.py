"""Today's dense candidate scan, kept as the reference the faster scoring is
compared with (tests/mentorship/test_scoring_candidates.py): every mentee
against every mentor in blocks, with the pruning as it was before the
thresholds were fixed. A copy of mentorship/scoring as of the commit before,
reading the same index arrays of a CycleScoring; not used by the product."""

import numpy as np

from mentorship.scoring import weights
from mentorship.scoring.reasons import AVAILABLE, STAGES
from mentorship.scoring.weights import (
    CROSS_TEAM_BONUS,
    GOAL_WEIGHT,
    OVERLAP_HOUR_WEIGHT,
    preference_bonus,
)

FLOOR = np.float32(-1e30)


def pairs_in(pair_rows, pair_cols, rows, cols):
    if not len(pair_rows) or not len(rows) or not len(cols):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(len(pair_rows), dtype=bool)
    at_row = np.searchsorted(rows, pair_rows).clip(0, len(rows) - 1)
    at_col = np.searchsorted(cols, pair_cols).clip(0, len(cols) - 1)
    inside = (rows[at_row] == pair_rows) & (cols[at_col] == pair_cols)
    return at_row[inside], at_col[inside], inside


def distinct(keys):
    keys = np.sort(keys)
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def row_best(ranked, counts, k):
    crowded = counts > k
    if not crowded.any():
        return np.flatnonzero(np.isfinite(ranked))
    floor = np.full(len(ranked), FLOOR, dtype=np.float32)
    floor[crowded] = -np.partition(-ranked[crowded], k - 1, axis=1)[:, k - 1]
    return np.flatnonzero(ranked >= floor[:, None])


class ColumnBest:
    def __init__(self, columns, k):
        self.columns, self.k = columns, k
        self.threshold = np.full(columns, FLOOR, dtype=np.float32)
        self.found, self.scores = [], []
        self.pending = self.compacted = 0

    def add(self, start, ranked):
        if len(ranked) > self.k:
            kth = np.partition(ranked, len(ranked) - self.k, axis=0)[len(ranked) - self.k]
            np.maximum(self.threshold, kth, out=self.threshold)
        cells = np.flatnonzero(ranked >= self.threshold[None, :])
        self.found.append(start * self.columns + cells)
        self.scores.append(ranked.ravel()[cells])
        self.pending += len(cells)
        if self.pending - self.compacted > max(self.compacted, 4 * self.k * self.columns):
            self._compact()

    def _compact(self):
        found, scores = np.concatenate(self.found), np.concatenate(self.scores)
        still = scores >= self.threshold[found % self.columns]
        self.found, self.scores = [found[still]], [scores[still]]
        self.pending = self.compacted = int(still.sum())

    def keys(self):
        if not self.found:
            return np.zeros(0, dtype=np.int64)
        self._compact()
        found, scores = self.found[0], self.scores[0]
        columns = found % self.columns
        order = np.argsort(columns * 1000.0 - scores, kind="stable")
        columns = columns[order]
        rank = np.arange(len(columns)) - np.searchsorted(columns, columns, side="left")
        return found[order][rank < self.k]


def block(s, rows, cols):
    """The candidate mask and the funnel stages of mentees ``rows`` x mentors ``cols``."""
    cover = s.goal_weight[rows] @ s.teach[cols].T
    mentee_open = s.mentee_ok[rows][:, None]
    candidate = cover > 0
    if not s.has_goals[rows].all():
        candidate |= ~s.has_goals[rows][:, None]
    pr, pc, _ = pairs_in(s.pref_i, s.pref_j, rows, cols)
    candidate[pr, pc] = True
    candidate &= mentee_open
    senior = (
        s.mentor_level[cols][None, :] >= (s.mentee_level[rows] + s.cycle.min_level_gap)[:, None]
    )
    outside_chain = np.ones(cover.shape, dtype=bool)
    ci, cj, _ = pairs_in(s.chain_i, s.chain_j, rows, cols)
    outside_chain[ci, cj] = False
    if s.cycle.require_cross_team:
        team_ok = s.mentee_team16[rows][:, None] != s.mentor_team16[cols][None, :]
    else:
        team_ok = np.ones(cover.shape, dtype=bool)
    not_repeated = np.ones(cover.shape, dtype=bool)
    ri, rj, _ = pairs_in(s.repeat_i, s.repeat_j, rows, cols)
    not_repeated[ri, rj] = False
    stages = [candidate]
    for rule in (senior, outside_chain, team_ok, not_repeated):
        stages.append(stages[-1] & rule)
    stages.append(stages[-1] & s.mentor_ok[cols][None, :])
    return cover, stages


def rank_scores(s, rows, cols, cover):
    score = s.rank_rows[rows] @ s.rank_cols[cols].T
    score += GOAL_WEIGHT * cover
    mine, theirs = s.mentee_team16[rows][:, None], s.mentor_team16[cols][None, :]
    score += ((mine != theirs) & (mine >= 0) & (theirs >= 0)) * np.float32(CROSS_TEAM_BONUS)
    pr, pc, inside = pairs_in(s.pref_i, s.pref_j, rows, cols)
    score[pr, pc] += preference_bonus(s.pref_rank[inside]).astype(np.float32)
    return score


def scores(s, rows, cols):
    cover = np.einsum("ij,ij->i", s.goal_weight[rows], s.teach[cols])
    score = GOAL_WEIGHT * cover.astype(np.float64)
    mine, theirs = s.mentee_team[rows], s.mentor_team[cols]
    score += CROSS_TEAM_BONUS * ((mine != theirs) & (mine >= 0) & (theirs >= 0))
    score += OVERLAP_HOUR_WEIGHT * s.overlap[s.mentee_zone[rows], s.mentor_zone[cols]]
    if len(s.pref_i) and len(rows):
        m = max(len(s.mentors), 1)
        keys = rows * m + cols
        pref_keys = s.pref_i * m + s.pref_j
        order = np.argsort(pref_keys)
        at = np.searchsorted(pref_keys[order], keys).clip(0, len(order) - 1)
        hit = pref_keys[order][at] == keys
        ranks = s.pref_rank[order][at]
        score += np.where(hit, preference_bonus(ranks), 0.0)
    return np.round(score, 2)


def dense_scan(s, block_cells):
    """(edge_i, edge_j, edge_score, mentee_funnel, mentor_funnel) as today's scan."""
    n, m = len(s.mentees), len(s.mentors)
    mentee_funnel = np.zeros((n, STAGES), dtype=np.int64)
    mentor_funnel = np.zeros((m, STAGES), dtype=np.int64)
    all_mentors = np.arange(m, dtype=np.int64)
    step = max(1, block_cells // max(m, 1))
    kept_keys = [np.zeros(0, dtype=np.int64)]
    best = ColumnBest(m, weights.CANDIDATES_PER_MENTOR)
    for start in range(0, n, step):
        rows = np.arange(start, min(start + step, n), dtype=np.int64)
        cover, stages = block(s, rows, all_mentors)
        for k, stage in enumerate(stages):
            mentee_funnel[rows, k] = stage.sum(axis=1, dtype=np.int32)
            mentor_funnel[:, k] += stage.sum(axis=0, dtype=np.int32)
        eligible = stages[AVAILABLE]
        ranked = np.where(eligible, rank_scores(s, rows, all_mentors, cover), -np.inf)
        counts = mentee_funnel[rows, AVAILABLE]
        kept_keys.append(start * m + row_best(ranked, counts, weights.CANDIDATES_PER_MENTEE))
        pr, pc, _ = pairs_in(s.pref_i, s.pref_j, rows, all_mentors)
        preferred = eligible[pr, pc]
        kept_keys.append((rows[pr] * m + pc)[preferred])
        best.add(start, ranked)
    kept_keys.append(best.keys())
    keys = distinct(np.concatenate(kept_keys))
    edge_i, edge_j = keys // max(m, 1), keys % max(m, 1)
    return edge_i, edge_j, scores(s, edge_i, edge_j), mentee_funnel, mentor_funnel
