"""The rescue: after the first solve, whoever the candidate pruning left out is
offered the mentors who still have room, in a second solve. The promise: nobody
is left out while an eligible mentor has room (and their team is under its
cap). The second solve is exact over every eligible (left-out mentee, mentor
with room) pair, yet it is given only a few of them.

How few: each left-out mentee starts with their k best eligible mentors with
room (the candidate generator's ranking, candidates.best_mentors; k is START x
CANDIDATES_PER_MENTEE), every other pair of theirs scoring no more than the
k-th. After the solve, a mentee whose k were all the eligible ones is done; any
other must have at least one of their k left with room, or they get four
times as many and the problem is solved again. A solve that passes the check
is an optimum over every eligible pair.

Why (linear programming duality; the flow problem the engine solves is
totally unimodular, so its linear programme has the same optimum): the engine
maximises the number matched, then the total score, which is the largest
sum of c(e) = B + score(e) over the matched pairs for a B larger than any
total score. Take optimal duals of the reduced problem: u >= 0 per mentee,
v >= 0 per mentor, w >= 0 per team cap, with u(i) + v(j) + w(team of i) >=
c(i, j) on every pair given. A mentor with room left in the solution has v = 0
in every optimal dual (complementary slackness). For a pair (i, j) that was
left out, the check found a mentor s among i's k with room left, so
u(i) + w(team of i) >= c(i, s) >= c(i, j): the pair (i, s) was given, and
score(i, s) >= score(i, j) as s is one of i's k best. With v(j) >= 0 the left-out
pair's constraint holds too: the same duals are feasible for the full
problem, and the solution, feasible there, has their value. So it is
optimal over every eligible pair: the same number matched and the same total
score as a solve given all of them (tests/mentorship/test_scoring_rescue.py
compares the two); equal-score ties may be settled differently."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import candidates, weights
from .arrays import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from .cycle import CycleScoring

START = 4
"""Each left-out mentee starts with START x CANDIDATES_PER_MENTEE mentors: they
all compete for the few mentors with room, and with fewer the check fails
for most of them (at 50,000 sign-ups, 200 each passed at once where 50 each
took three more solves)."""
WIDEN = 4  # a mentee who fails the check gets this many times more mentors


class Rescue:
    """The second solve's pairs, (mentee, mentor, score) arrays, grown until
    ``proven`` accepts a solution (see the module docstring)."""

    def __init__(self, scoring: CycleScoring, mentor_of: IntArray, may_match: BoolArray):
        capacity = scoring.capacity_array()
        load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(capacity))
        self.room: IntArray = capacity - load
        self._scoring = scoring
        self._mentors_open = self.room > 0
        self._everyone = int(self._mentors_open.sum())
        left_out = (mentor_of < 0) & scoring.mentee_ok & may_match
        self._rows = np.flatnonzero(left_out).astype(np.int64)
        # How many of their best each left-out mentee is given; everything
        # once it reaches the number of mentors with room.
        self._k = np.zeros(len(mentor_of), np.int64)
        self._k[self._rows] = START * max(1, weights.CANDIDATES_PER_MENTEE)
        self.mentee, self.mentor, self.score = _empty(), _empty(), np.zeros(0)
        self._add(self._rows)

    def proven(self, rescued: IntArray) -> bool:
        """Whether the solution over the pairs given (mentor index per mentee,
        -1 unmatched) is optimal over every eligible pair; if not, the mentees
        who failed the check get more mentors (call again after a new solve)."""
        load = np.bincount(rescued[rescued >= 0], minlength=len(self.room))
        room_left = (self.room - load) > 0
        given = np.bincount(self.mentee, minlength=len(self._k))
        spare = np.bincount(self.mentee, weights=room_left[self.mentor], minlength=len(self._k))
        # Fewer than k given, or k as many as the mentors with room: they were
        # given every eligible pair, nothing was left out.
        k = self._k[self._rows]
        cut = (given[self._rows] >= k) & (k < self._everyone)
        failed = self._rows[cut & (spare[self._rows] == 0)]
        if not len(failed):
            return True
        self._k[failed] *= WIDEN
        keep = ~np.isin(self.mentee, failed)
        self.mentee, self.mentor, self.score = (
            self.mentee[keep],
            self.mentor[keep],
            self.score[keep],
        )
        self._add(failed)
        return False

    def _add(self, rows: IntArray) -> None:
        """Give ``rows`` their k best eligible mentors with room (all of them
        when k reaches the number of such mentors)."""
        found = [(self.mentee, self.mentor, self.score)]
        for k in np.unique(self._k[rows]).tolist():
            some = np.zeros(len(self._k), dtype=bool)
            some[rows[self._k[rows] == k]] = True
            inputs = self._scoring.candidate_inputs(
                mentee_open=some & self._scoring.mentee_ok, mentor_open=self._mentors_open
            )
            i, j, score8 = candidates.best_mentors(inputs, min(k, max(self._everyone, 1)))
            found.append((i, j, candidates.scores(score8)))
        mentee = np.concatenate([f[0] for f in found])
        mentor = np.concatenate([f[1] for f in found])
        score: FloatArray = np.concatenate([f[2] for f in found])
        # Sorted by (mentee, mentor), as the engine checks it fastest.
        order = np.argsort(mentee * max(len(self.room), 1) + mentor)
        self.mentee, self.mentor, self.score = mentee[order], mentor[order], score[order]


def _empty() -> IntArray:
    return np.zeros(0, np.int64)
