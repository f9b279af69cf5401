"""How a pair scores: the weights, the timezone overlap of every pair of
zones (core.timezones), and how many candidates a large cycle keeps per person."""

import datetime as dt

import numpy as np
import numpy.typing as npt

from core.timezones import WORKDAY as WORKDAY  # re-exported: part of how a pair scores
from core.timezones import working_hours_overlap

GOAL_WEIGHT = 3.0
"""Per goal covered, times (1 + gap): a goal with the largest gap (3) counts 12."""
UNRATED_GAP = 1
"""A goal the mentee's last assessment did not rate counts as a one-step gap."""
PREFERENCE_BONUS = {1: 6.0, 2: 4.0, 3: 2.0}
LATER_PREFERENCE_BONUS = 1.0
"""A preference ranked 4th or later."""
CROSS_TEAM_BONUS = 2.0
OVERLAP_HOUR_WEIGHT = 0.5
"""Per shared working hour (core.timezones.WORKDAY): a full shared day (8 h) counts 4."""

UNIT = 8
"""Scores are counted in eighths where they must be exact (the ranking of
candidates): every weight is a multiple of 1/8, and an overlap of working hours
a multiple of 1/4 hour (timezone offsets are multiples of 15 minutes), so a
score in eighths is an integer."""

CANDIDATES_PER_MENTEE = 50
"""In a large cycle, each mentee keeps this many of their best eligible mentors..."""
CANDIDATES_PER_MENTOR = 20
"""...and each mentor this many of their best (see CycleScoring._score_all)."""


def tiebreak(ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """A fixed pseudo-random integer below 4093 per sign-up id: ranks partners with
    equal scores the same way whatever the order of the input, without
    favouring the first sign-ups (see candidates.rank_keys)."""
    return (ids.astype(np.int64) * 2654435761) % 4093


def preference_bonus(ranks: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    bonus = np.full(ranks.shape, LATER_PREFERENCE_BONUS, dtype=np.float64)
    for rank, value in PREFERENCE_BONUS.items():
        bonus[ranks == rank] = value
    return bonus


def overlap_matrix(zones: list[str], on: dt.date) -> npt.NDArray[np.float64]:
    """Hours of working-day overlap for every pair of zones, on the cycle's first day
    (so daylight saving time is as it will be), computed once per zone pair."""
    size = len(zones)
    overlap = np.zeros((size, size), dtype=np.float64)
    for a in range(size):
        for b in range(size):
            overlap[a, b] = working_hours_overlap(zones[a], zones[b], on)
    return overlap
