"""The candidate edges of a cycle, generated from what can make a pair eligible
instead of by scanning every mentee against every mentor (see the package
docstring for the ranking and for why no pair that could be kept is missed).

Both sides run the same way. A person ("row") sees the other side's people in
classes whose members all have the same upper bound of the pair's score for
that row, each class sorted best first (groups.py). A row takes whole classes
from the highest bound down until they hold k people, and only a prefix of
the classes at the last bound; the pairs taken are checked exactly (team,
manager chain, past pairs), and a row whose k-th best exact pair does not beat
everything it left untaken takes all of its classes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .arrays import BoolArray, FloatArray, IntArray, distinct, member, runs
from .groups import (
    CROSS8,
    NOTHING_LEFT_OUT,
    Classes,
    Inputs,
    People,
    batches,
    mentee_groups,
    mentor_groups,
    overlap8,
)
from .weights import CROSS_TEAM_BONUS, GOAL_WEIGHT, OVERLAP_HOUR_WEIGHT, UNIT, preference_bonus

TIE_BITS = 12  # tie-break values are below 4093 < 2**12
INDEX_BITS = 20  # people per side below 2**20
SCORE_SHIFT = 1 << (TIE_BITS + INDEX_BITS)
TIE_SHIFT = 1 << INDEX_BITS
NOTHING_LEFT = -1  # a bound below every key: nothing was left untaken
SCORE_SLOTS = 1 << 16  # scores in eighths stay below this (a score below 8,192)
LEFT_OUT_AFTER = 2
"""A mentor's table may leave out the mentees below their best LEFT_OUT_AFTER
x (k + margin) or so (groups.floor): enough that ineligible pairs among them
rarely leave fewer than k. (A mentee's table leaves nobody out: a mentee's
goal points with mentors take a handful of values, each shared by thousands
of mentors, so a floor would leave out next to nobody.)"""
Tables = Callable[[BoolArray | None], Iterator[tuple[IntArray, Classes]]]
"""A side's tables: for every open row (None), or to redo the rows given."""


def rank_keys(score8: IntArray, ties: IntArray, index: IntArray) -> IntArray:
    """One integer per pair, as a row ranks its partners: the score (eighths)
    first, then the partner's tie-break value, then the lower index."""
    return score8 * SCORE_SHIFT + ties * TIE_SHIFT + (TIE_SHIFT - 1 - index)


@dataclass(frozen=True)
class Best:
    """(row, col, score in eighths), as a (3, n) array, of the rows done; and
    the rows to do again with every partner."""

    found: IntArray
    redo: IntArray


@dataclass
class Generator:
    """Per-row k best of one side (rows) among the other (columns)."""

    rows: People
    cols: People
    overlap8: IntArray  # zones x zones
    cross_required: bool
    is_listed: Callable[[IntArray, IntArray], BoolArray]  # (row, col) named in a list
    prefs: tuple[IntArray, IntArray, IntArray]  # eligible preferences: row, col, score8

    def __post_init__(self) -> None:
        pref_row, pref_col, pref_score = self.prefs
        order = np.argsort(pref_row, kind="stable")
        self._pref = (pref_row[order], pref_col[order], pref_score[order])

    def best(self, rows: IntArray, classes: Classes, k: int, margin: int) -> Best:
        """Each row's k best eligible partners; rows whose table left partners
        out (Classes.rest8) and cannot vouch for their k best are given back
        to be done again with every partner."""
        ub = self._bounds(rows, classes)
        take, bound = plan(ub, classes, k + margin, self.cols.ties)
        pairs = _ranked(rows, *self._exact(rows, classes, ub, take))
        ok = self._verified(rows, pairs, bound, k)
        complete = classes.rest8 == NOTHING_LEFT_OUT
        if not ok.all():  # rare: the slack was eaten by ineligible pairs
            again = ~ok & complete
            keep = ok[np.searchsorted(rows, pairs[0])]
            sub = classes.of(again)
            redone = self._exact(rows[again], sub, ub[again], sub.count)
            pairs = _ranked(rows, *np.concatenate([pairs[:, keep], np.stack(redone)], axis=1))
        pair_row, pair_col, key = pairs
        best = _rank_in_run(pair_row) < k
        found = np.stack([pair_row[best], pair_col[best], key[best] // SCORE_SHIFT])
        return Best(found, rows[~ok & ~complete])

    def _bounds(self, rows: IntArray, classes: Classes) -> IntArray:
        """Upper bound of the score (eighths) of each row with each class's members:
        exact for every member but those on the row's own team (lower)."""
        cross = (self.rows.team[rows] >= 0)[:, None] & classes.has_team
        ub: IntArray = (
            classes.goal8
            + self.overlap8[self.rows.zone[rows][:, None], classes.zone]
            + cross * CROSS8
        )
        return ub

    def _exact(
        self, rows: IntArray, classes: Classes, ub: IntArray, take: IntArray
    ) -> tuple[IntArray, IntArray, IntArray]:
        """The pairs taken, the eligible ones only, with their exact ranking keys;
        plus the rows' eligible preferences (never taken from classes)."""
        r, c = np.nonzero(take)
        n = take[r, c]
        pair_row = np.repeat(rows[r], n)
        pair_col = classes.members[runs(classes.start[r, c], n)]
        score = np.repeat(ub[r, c], n)
        mine, theirs = self.rows.team[pair_row], self.cols.team[pair_col]
        same = (mine == theirs) & (mine >= 0)
        eligible = ~self.is_listed(pair_row, pair_col)
        if self.cross_required:
            eligible &= ~same
        else:
            score = score - same * CROSS8
        pref_row, pref_col, pref_score = self._prefs_of(rows)
        pair_row = np.concatenate([pair_row[eligible], pref_row])
        pair_col = np.concatenate([pair_col[eligible], pref_col])
        score = np.concatenate([score[eligible], pref_score])
        return pair_row, pair_col, rank_keys(score, self.cols.ties[pair_col], pair_col)

    def _prefs_of(self, rows: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        pref_row, pref_col, pref_score = self._pref
        lo = np.searchsorted(pref_row, rows, side="left")
        n = np.searchsorted(pref_row, rows, side="right") - lo
        at = runs(lo, n)
        return pref_row[at], pref_col[at], pref_score[at]

    @staticmethod
    def _verified(rows: IntArray, pairs: IntArray, bound: IntArray, k: int) -> BoolArray:
        """Whether each row's k-th best pair taken (``pairs`` _ranked) beats
        every pair it left untaken (or, with fewer than k, whether it left none)."""
        sorted_row, _, sorted_key = pairs
        if not len(sorted_key):  # nothing eligible taken: fine if nothing was left either
            nothing: BoolArray = bound == NOTHING_LEFT
            return nothing
        first = np.searchsorted(sorted_row, rows, side="left")
        count = np.searchsorted(sorted_row, rows, side="right") - first
        kth = np.where(count >= k, sorted_key[np.minimum(first + k - 1, len(sorted_key) - 1)], -2)
        ok: BoolArray = np.where(count >= k, kth > bound, bound == NOTHING_LEFT)
        return ok


def _rank_in_run(sorted_values: IntArray) -> IntArray:
    """Each element's position within its run of equal values (0 for the first)."""
    n = len(sorted_values)
    starts = np.flatnonzero(np.concatenate(([True], sorted_values[1:] != sorted_values[:-1])))
    rank: IntArray = np.arange(n) - np.repeat(starts, np.diff(np.append(starts, n)))
    return rank


def _ranked(rows: IntArray, pair_row: IntArray, pair_col: IntArray, key: IntArray) -> IntArray:
    """(row, col, key) as a (3, n) array sorted by row, then best key first.
    Keys are below 2**48 (scores below SCORE_SLOTS), so with a batch's row
    positions (``rows`` sorted) above them one int64 sort does it; keys are
    distinct within a row (they end with the column)."""
    if len(rows) < 2**15:
        position = np.searchsorted(rows, pair_row)
        order = np.argsort((position << 48) | ((1 << 48) - 1 - key))
    else:
        order = np.lexsort((-key, pair_row))
    return np.stack([pair_row[order], pair_col[order], key[order]])


def plan(ub: IntArray, classes: Classes, k: int, ties: IntArray) -> tuple[IntArray, IntArray]:
    """How many members each row takes from each class (whole classes from the
    highest bound down until they hold k people, a prefix of each class at the
    last bound), and the best key of what each row left untaken."""
    counts = classes.count
    rows, width = ub.shape
    # What a row's table left out is untaken too: its best key is below rest8 + 1.
    rest = np.where(
        classes.rest8 == NOTHING_LEFT_OUT, NOTHING_LEFT, (classes.rest8 + 1) * SCORE_SHIFT - 1
    )
    if not width:
        return np.zeros(ub.shape, np.int64), rest
    order = np.argsort(-ub, axis=1, kind="stable")
    cum = np.cumsum(np.take_along_axis(counts, order, 1), axis=1)
    pos = (cum < k).sum(axis=1)
    reached = pos < width
    tau = np.where(
        reached, np.take_along_axis(ub, order, 1)[np.arange(rows), pos.clip(0, width - 1)], -1
    )
    above = ub > tau[:, None]
    at = ub == tau[:, None]
    need = k - (counts * above).sum(axis=1)
    take = np.where(above, counts, np.where(at, np.minimum(counts, need[:, None]), 0))
    if not len(classes.members):
        return take, rest
    # The best untaken: the next member of a class cut at the last bound, or
    # anything of the highest class below it.
    cut = at & (take < counts)
    nxt = classes.members[np.minimum(classes.start + take, len(classes.members) - 1)]
    cut_key = np.where(cut, rank_keys(tau[:, None], ties[nxt], nxt), NOTHING_LEFT)
    below = (ub < tau[:, None]) & (counts > 0)
    below_key = np.where(below, (ub + 1) * SCORE_SHIFT - 1, NOTHING_LEFT)
    bound = np.maximum.reduce([cut_key.max(axis=1), below_key.max(axis=1), rest])
    return take.astype(np.int64), bound


def generate(s: Inputs, per_mentee: int, per_mentor: int) -> tuple[IntArray, IntArray]:
    """The candidate edges: each mentee's ``per_mentee`` best eligible mentors,
    each mentor's ``per_mentor`` best eligible mentees, and every eligible
    preference; as sorted keys (mentee * mentors + mentor) and scores in eighths."""
    m = max(len(s.teach), 1)
    pref_i, pref_j, pref_score = eligible_preferences(s)
    # The score rides in the low bits of each key, so one sort finds the distinct pairs.
    found = [(pref_i * m + pref_j) * SCORE_SLOTS + pref_score]
    for i, j, score in (best_mentors(s, per_mentee), best_mentees(s, per_mentor)):
        found.append((i * m + j) * SCORE_SLOTS + score)
    both = distinct(np.concatenate(found))  # a pair found twice has the same score
    return both // SCORE_SLOTS, both % SCORE_SLOTS


def best_mentors(s: Inputs, k: int) -> IntArray:
    """(mentee, mentor, score in eighths), as a (3, n) array: each open
    mentee's k best eligible open mentors."""
    return _k_best(_generator(s, mentees_first=True), lambda again: mentee_groups(s, again), k)


def best_mentees(s: Inputs, k: int) -> IntArray:
    """(mentee, mentor, score in eighths): each open mentor's k best eligible
    open mentees. A mentor's table leaves out the mentees too low for their
    best (groups.mentor_groups)."""
    enough = LEFT_OUT_AFTER * (k + margin(k))

    def tables(again: BoolArray | None) -> Iterator[tuple[IntArray, Classes]]:
        return mentor_groups(s, enough, None) if again is None else mentor_groups(s, 0, again)

    j, i, score = _k_best(_generator(s, mentees_first=False), tables, k)
    return np.stack([i, j, score])


def _k_best(generator: Generator, tables: Tables, k: int) -> IntArray:
    """(row, col, score in eighths): each row's k best, from ``tables(None)``;
    the rows whose table left partners out and could not vouch for their k
    best are done again from ``tables(those rows)``, which leaves nobody out."""
    done = [generator.best(r, c, k, margin(k)) for r, c in batches(tables(None))]
    found = [d.found for d in done]
    redo = np.concatenate([np.zeros(0, np.int64), *(d.redo for d in done)])
    if len(redo):
        again = np.zeros(len(generator.rows.open), dtype=bool)
        again[redo] = True
        found += [generator.best(r, c, k, margin(k)).found for r, c in batches(tables(again))]
    return np.concatenate([np.zeros((3, 0), np.int64), *found], axis=1)


def margin(k: int) -> int:
    """How many more than k a row takes, as slack for pairs that turn out ineligible."""
    return max(4, k // 4)


def _generator(s: Inputs, *, mentees_first: bool) -> Generator:
    """The k-best generator with the mentees (or the mentors) as its rows."""
    m = max(len(s.teach), 1)
    listed = distinct(np.concatenate([s.prefs.keys(m), s.chain.keys(m), s.repeat.keys(m)]))
    pref_i, pref_j, pref_score = eligible_preferences(s)
    if mentees_first:
        return Generator(
            s.mentees, s.mentors, overlap8(s), s.cross_required,
            lambda i, j: member(listed, i * m + j), (pref_i, pref_j, pref_score),
        )  # fmt: skip
    return Generator(
        s.mentors, s.mentees, overlap8(s), s.cross_required,
        lambda j, i: member(listed, i * m + j), (pref_j, pref_i, pref_score),
    )  # fmt: skip


def scores(eighths: IntArray) -> FloatArray:
    """Scores as the engine and the pairings get them: eighths as numbers,
    rounded to cents as every score is."""
    rounded: FloatArray = np.round(eighths / UNIT, 2)
    return rounded


def score8(s: Inputs, i: IntArray, j: IntArray, pref_rank: IntArray | None = None) -> IntArray:
    """Exact scores (eighths) of pairs (mentee i, mentor j), with the preference
    bonus of the given ranks (0: not a preference)."""
    cover = np.einsum("ij,ij->i", s.goal_weight[i], s.teach[j]).round().astype(np.int64)
    mine, theirs = s.mentees.team[i], s.mentors.team[j]
    cross = (mine != theirs) & (mine >= 0) & (theirs >= 0)
    overlap = s.overlap[s.mentees.zone[i], s.mentors.zone[j]]
    score = UNIT * (GOAL_WEIGHT * cover + CROSS_TEAM_BONUS * cross + OVERLAP_HOUR_WEIGHT * overlap)
    if pref_rank is not None:
        score = score + UNIT * np.where(pref_rank > 0, preference_bonus(pref_rank), 0.0)
    eighths: IntArray = np.round(score).astype(np.int64)
    return eighths


def eligible_preferences(s: Inputs) -> tuple[IntArray, IntArray, IntArray]:
    """The ranked preferences that keep every hard rule, with their exact scores."""
    i, j, rank = s.prefs.rows, s.prefs.cols, s.prefs.values
    m = max(len(s.teach), 1)
    mine, theirs = s.mentees.team[i], s.mentors.team[j]
    ok = s.mentees.open[i] & s.mentors.open[j]
    ok &= s.mentors.level[j] >= s.mentees.level[i] + s.min_level_gap
    ok &= ~member(np.sort(s.chain.keys(m)), i * m + j)
    ok &= ~member(np.sort(s.repeat.keys(m)), i * m + j)
    if s.cross_required:
        ok &= ~((mine == theirs) & (mine >= 0))
    i, j, rank = i[ok], j[ok], rank[ok]
    return i, j, score8(s, i, j, rank)
