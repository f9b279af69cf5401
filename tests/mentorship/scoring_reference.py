"""A straightforward exhaustive reference for the candidate edges
(tests/mentorship/test_scoring_candidates.py): every mentee against every
mentor in one dense matrix, the rules as plain masks, the scores in exact
integer eighths, and the ranking as the package docstring defines it (score,
then the partner's tie-break value, then the lower index), sorted in full.
Written independently of mentorship/scoring/candidates.py; not used by the
product."""

import numpy as np

from mentorship.scoring import weights
from mentorship.scoring.reasons import STAGES

EIGHTHS = 8


def tie(ids):
    return (ids.astype(np.int64) * 2654435761) % 4093


def dense_rules(s):
    """The funnel stages of every mentee x mentor pair, as dense masks."""
    n, m = len(s.mentees), len(s.mentors)
    wants, teaches = s.goal_weight > 0, s.teach > 0
    covers = (wants[:, None, :] & teaches[None, :, :]).any(axis=2)
    candidate = covers | ~wants.any(axis=1)[:, None]
    candidate[s.prefs.rows, s.prefs.cols] = True
    candidate &= s.mentee_ok[:, None]
    senior = s.mentor_pos[None, :] >= s.mentee_pos[:, None] + s.cycle.min_level_gap
    outside_chain = np.ones((n, m), dtype=bool)
    outside_chain[s.chain.rows, s.chain.cols] = False
    mine, theirs = s.mentee_team[:, None], s.mentor_team[None, :]
    same_team = (mine == theirs) & (mine >= 0)
    team_ok = ~same_team if s.cycle.require_cross_team else np.ones((n, m), dtype=bool)
    not_repeated = np.ones((n, m), dtype=bool)
    not_repeated[s.repeat.rows, s.repeat.cols] = False
    stages = [candidate]
    for rule in (senior, outside_chain, team_ok, not_repeated, s.mentor_ok[None, :]):
        stages.append(stages[-1] & rule)
    assert len(stages) == STAGES
    return stages


def dense_scores(s):
    """Every pair's score in eighths, in integer arithmetic."""
    n, m = len(s.mentees), len(s.mentors)
    cover = np.rint(s.goal_weight).astype(np.int64) @ np.rint(s.teach).astype(np.int64).T
    mine, theirs = s.mentee_team[:, None], s.mentor_team[None, :]
    cross = (mine != theirs) & (mine >= 0) & (theirs >= 0)
    quarter_hours = np.rint(4 * s.overlap).astype(np.int64)[s.mentee_zone[:, None], s.mentor_zone]
    score = 24 * cover + 16 * cross + quarter_hours  # 3 per point, 2, 1/2 per hour; in eighths
    bonus = {1: 48, 2: 32, 3: 16}
    pref = np.zeros((n, m), dtype=np.int64)
    for i, j, rank in zip(s.prefs.rows, s.prefs.cols, s.prefs.values, strict=True):
        pref[i, j] = bonus.get(int(rank), 8)
    return score + pref


def best_per_row(eligible, score, partner_tie, k):
    """Each row's k best eligible columns, ranked by (score, column tie, -column)."""
    kept = np.zeros(eligible.shape, dtype=bool)
    columns = np.arange(eligible.shape[1])
    for r in range(eligible.shape[0]):
        cols = columns[eligible[r]]
        ranked = sorted(cols, key=lambda c: (-score[r, c], -partner_tie[c], c))
        kept[r, ranked[:k]] = True
    return kept


def exhaustive_candidates(s):
    """(edge_i, edge_j, score in eighths, stages): each mentee's k best, each
    mentor's k best, every eligible preference."""
    stages = dense_rules(s)
    eligible = stages[-1]
    score = dense_scores(s)
    kept = best_per_row(eligible, score, tie(s.mentor_ids), weights.CANDIDATES_PER_MENTEE)
    kept |= best_per_row(eligible.T, score.T, tie(s.mentee_ids), weights.CANDIDATES_PER_MENTOR).T
    preferred = np.zeros(eligible.shape, dtype=bool)
    preferred[s.prefs.rows, s.prefs.cols] = True
    kept |= preferred & eligible
    edge_i, edge_j = np.nonzero(kept)
    return edge_i, edge_j, score[edge_i, edge_j], stages
