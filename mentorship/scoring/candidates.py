"""The candidate edges of a cycle, generated from what can make a pair eligible
instead of by scanning every mentee against every mentor (see the package
docstring for the ranking and for why no pair that could be kept is missed).

Both sides run the same way. A person ("row") sees the other side's people in
classes whose members all have the same upper bound of the pair's score for
that row: for a mentee, the mentors who teach the same subset of the mentee's
goals, in the same timezone, with or without a team, and senior enough; for a
mentor, the mentees whose goals the mentor covers by the same points, in the
same timezone, with or without a team, and junior enough. Members of a class
are kept sorted by the ranking's tie-break, so the best of a class are a
prefix of it. A row takes whole classes from the highest bound down until
they hold k people, and only a prefix of the classes at the last bound; the
pairs taken are checked exactly (team, manager chain, past pairs), and a row
whose k-th best exact pair does not beat everything it left untaken takes all
of its classes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .arrays import BoolArray, FloatArray, IntArray, PairList, distinct
from .weights import (
    CROSS_TEAM_BONUS,
    GOAL_WEIGHT,
    OVERLAP_HOUR_WEIGHT,
    preference_bonus,
    tiebreak,
)

UNIT = 8
"""Ranking scores are counted in eighths: every weight is a multiple of 1/8, and
an overlap of working hours a multiple of 1/4 hour (timezone offsets are
multiples of 15 minutes), so a score in eighths is an exact integer."""
TIE_BITS = 12  # tie-break values are below 4093 < 2**12
INDEX_BITS = 20  # people per side below 2**20
SCORE_SHIFT = 1 << (TIE_BITS + INDEX_BITS)
TIE_SHIFT = 1 << INDEX_BITS
NOTHING_LEFT = -1  # a bound below every key: nothing was left untaken
CROSS8 = round(UNIT * CROSS_TEAM_BONUS)
SCORE_SLOTS = 1 << 16  # scores in eighths stay below this (a score below 8,192)
GOAL8 = UNIT * GOAL_WEIGHT


def rank_keys(score8: IntArray, ties: IntArray, index: IntArray) -> IntArray:
    """One integer per pair, as a row ranks its partners: the score (eighths)
    first, then the partner's tie-break value, then the lower index."""
    return score8 * SCORE_SHIFT + ties * TIE_SHIFT + (TIE_SHIFT - 1 - index)


@dataclass(frozen=True)
class People:
    """One side's people, as the other side sees them."""

    zone: IntArray
    team: IntArray  # -1: no team
    level: IntArray
    open: BoolArray
    ties: IntArray
    order: IntArray  # position of each person in the tie-break order (best first)
    base: IntArray  # the open people, by zone, then with a team or not, then tie-break
    where: IntArray  # per base position: zone * 2 + has a team


@dataclass(frozen=True)
class Classes:
    """The classes each row sees: members contiguous, each class sorted best
    first; every other field is (rows, classes), a count of 0 padding."""

    members: IntArray
    start: IntArray
    count: IntArray
    zone: IntArray
    has_team: BoolArray
    goal8: IntArray  # the goal points of each row with each class

    def of(self, rows: BoolArray) -> Classes:
        """The classes of some of the rows."""
        return Classes(
            members=self.members,
            start=self.start[rows],
            count=self.count[rows],
            zone=self.zone[rows],
            has_team=self.has_team[rows],
            goal8=self.goal8[rows],
        )


def people(
    zone: IntArray, team: IntArray, level: IntArray, open_: BoolArray, ids: IntArray
) -> People:
    ties = tiebreak(ids)
    ranked = np.lexsort((np.arange(len(ids)), -ties))
    order = np.empty(len(ids), dtype=np.int64)
    order[ranked] = np.arange(len(ids))
    open_at = np.flatnonzero(open_)
    has_team = team[open_at] >= 0
    # The open people by zone, team or not, then tie-break: a class is then a
    # stable sort by kind away (see classes_of).
    base = open_at[np.lexsort((order[open_at], has_team, zone[open_at]))]
    where = zone[base] * 2 + (team[base] >= 0)
    return People(zone, team, level.astype(np.int64), open_, ties, order, base, where)


def by_kind(kind: IntArray) -> IntArray:
    """A stable order by kind: people in the side's base order end up sorted by
    (kind, zone, has team, tie-break), that is, in classes, each best first."""
    small = kind.astype(np.int16) if kind.max(initial=0) < 2**15 else kind
    return np.argsort(small, kind="stable")  # a radix sort for small kinds


def classes_of(
    members: IntArray, kind: IntArray, where: IntArray, side: People
) -> tuple[IntArray, IntArray, IntArray]:
    """The classes of (kind, zone, has team) of ``members`` sorted by_kind
    (``where`` their zone * 2 + has team): each class's start, count, kind."""
    zones = int(side.zone.max(initial=0)) + 1
    label = kind * (2 * zones) + where
    start = np.flatnonzero(np.concatenate(([True], label[1:] != label[:-1])))[: len(label)]
    count = np.diff(np.append(start, len(label)))
    return start, count, kind[start]


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

    def best(self, rows: IntArray, classes: Classes, k: int, margin: int) -> IntArray:
        """(row, col, score in eighths), as a (3, n) array: each row's k best
        eligible partners."""
        ub = self._bounds(rows, classes)
        take, bound = plan(ub, classes, k + margin, self.cols.ties)
        pairs = _ranked(rows, *self._exact(rows, classes, ub, take))
        ok = self._verified(rows, pairs, bound, k)
        if not ok.all():  # rare: the slack was eaten by ineligible pairs
            again = ~ok
            keep = ok[np.searchsorted(rows, pairs[0])]
            sub = classes.of(again)
            redone = self._exact(rows[again], sub, ub[again], sub.count)
            pairs = _ranked(rows, *np.concatenate([pairs[:, keep], np.stack(redone)], axis=1))
        pair_row, pair_col, key = pairs
        first = np.searchsorted(pair_row, pair_row, side="left")
        best = np.arange(len(pair_row)) - first < k
        return np.stack([pair_row[best], pair_col[best], key[best] // SCORE_SHIFT])

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
        within = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        pair_col = classes.members[np.repeat(classes.start[r, c], n) + within]
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
        at = np.repeat(lo, n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
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
    if not width:
        return np.zeros(ub.shape, np.int64), np.full(rows, NOTHING_LEFT, np.int64)
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
        return take, np.full(rows, NOTHING_LEFT, np.int64)
    # The best untaken: the next member of a class cut at the last bound, or
    # anything of the highest class below it.
    cut = at & (take < counts)
    nxt = classes.members[np.minimum(classes.start + take, len(classes.members) - 1)]
    cut_key = np.where(cut, rank_keys(tau[:, None], ties[nxt], nxt), NOTHING_LEFT)
    below = (ub < tau[:, None]) & (counts > 0)
    below_key = np.where(below, (ub + 1) * SCORE_SHIFT - 1, NOTHING_LEFT)
    bound = np.maximum(cut_key.max(axis=1), below_key.max(axis=1))
    return take.astype(np.int64), bound


# --- the two sides ---------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the generator reads of a scored cycle (index arrays of CycleScoring)."""

    goal_weight: np.ndarray  # mentees x competencies: 1 + gap per goal, 0 elsewhere
    teach: np.ndarray  # mentors x competencies, 0/1
    mentees: People
    mentors: People
    overlap: np.ndarray  # zones x zones, hours
    min_level_gap: int
    cross_required: bool
    prefs: PairList
    chain: PairList
    repeat: PairList


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
    rows = _generator(s, mentees_first=True)
    found = [rows.best(r, c, k, margin=max(4, k // 4)) for r, c in _batches(mentee_groups(s))]
    return np.concatenate([np.zeros((3, 0), np.int64), *found], axis=1)


def best_mentees(s: Inputs, k: int) -> IntArray:
    """(mentee, mentor, score in eighths): each open mentor's k best eligible
    open mentees."""
    rows = _generator(s, mentees_first=False)
    found = [rows.best(r, c, k, margin=max(4, k // 4)) for r, c in _batches(mentor_groups(s))]
    j, i, score = np.concatenate([np.zeros((3, 0), np.int64), *found], axis=1)
    return np.stack([i, j, score])


def _generator(s: Inputs, *, mentees_first: bool) -> Generator:
    """The k-best generator with the mentees (or the mentors) as its rows."""
    m = max(len(s.teach), 1)
    listed = distinct(np.concatenate([s.prefs.keys(m), s.chain.keys(m), s.repeat.keys(m)]))
    pref_i, pref_j, pref_score = eligible_preferences(s)
    overlap8 = np.round(UNIT * OVERLAP_HOUR_WEIGHT * s.overlap).astype(np.int64)
    if mentees_first:
        return Generator(
            s.mentees, s.mentors, overlap8, s.cross_required,
            lambda i, j: _member(listed, i * m + j), (pref_i, pref_j, pref_score),
        )  # fmt: skip
    return Generator(
        s.mentors, s.mentees, overlap8, s.cross_required,
        lambda j, i: _member(listed, i * m + j), (pref_j, pref_i, pref_score),
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
    ok &= ~_member(np.sort(s.chain.keys(m)), i * m + j)
    ok &= ~_member(np.sort(s.repeat.keys(m)), i * m + j)
    if s.cross_required:
        ok &= ~((mine == theirs) & (mine >= 0))
    i, j, rank = i[ok], j[ok], rank[ok]
    return i, j, score8(s, i, j, rank)


def mentee_groups(s: Inputs) -> Iterator[tuple[IntArray, Classes]]:
    """Per goal set and required mentor level, the open mentees (rows) and the
    classes of mentors who teach at least one of those goals (every open
    mentor for mentees without goals), senior enough."""
    wants = s.goal_weight > 0
    goal_sets, set_of = np.unique(wants, axis=0, return_inverse=True)
    set_of = set_of.reshape(-1)
    base = s.mentors.base
    teach_base, level_base = s.teach[base] > 0, s.mentors.level[base]
    required = s.mentees.level + s.min_level_gap
    for g, rows in _slices(set_of, s.mentees.open):
        goals = np.flatnonzero(goal_sets[g])
        bits = teach_base[:, goals] @ (1 << np.arange(len(goals), dtype=np.int64))
        teaches = bits > 0 if len(goals) else np.ones(len(base), dtype=bool)
        cand, bits, cand_level = base[teaches], bits[teaches], level_base[teaches]
        where = s.mentors.where[teaches]
        subsets, kind = _compact(bits, len(goals))
        order = by_kind(kind)
        cand, kind, cand_level, where = cand[order], kind[order], cand_level[order], where[order]
        subset_goals = (subsets[None, :] >> np.arange(len(goals))[:, None]) & 1
        # Integer products: small, and numpy leaves them to its own loops
        # rather than to BLAS threads that spin on a busy machine.
        weights = np.rint(s.goal_weight[rows][:, goals]).astype(np.int64)
        cover = weights @ subset_goals  # rows x subsets
        for level, here in _split(required[rows]):
            senior = cand_level >= level
            yield (
                rows[here],
                _classes(cand[senior], kind[senior], where[senior], s.mentors, cover[here]),
            )


def mentor_groups(s: Inputs) -> Iterator[tuple[IntArray, Classes]]:
    """Per teaching set and most senior mentee level allowed, the open mentors
    (rows) and the classes of mentees with at least one of those goals (or no
    goals), junior enough, by the goal points covered."""
    teach = s.teach > 0
    teach_sets, set_of = np.unique(teach, axis=0, return_inverse=True)
    set_of = set_of.reshape(-1)
    base = s.mentees.base
    goals_base = s.goal_weight[base]
    goals_by_code = np.ascontiguousarray(np.rint(goals_base.T).astype(np.int16))
    no_goals = ~(goals_base > 0).any(axis=1)
    # One gather of the three per-member columns per group instead of three.
    members = np.stack([base, s.mentees.level[base], s.mentees.where])
    top = int(s.mentees.level.max(initial=0))
    allowed = np.minimum(s.mentors.level - s.min_level_gap, top)
    for t, rows in _slices(set_of, s.mentors.open):
        # The set's goal points: the sum of a few competencies' rows (no BLAS).
        cover = goals_by_code[teach_sets[t]].sum(axis=0)
        at = np.flatnonzero((cover > 0) | no_goals)
        at = at[by_kind(cover[at])]
        cand, cand_level, where = members[:, at]
        kind = cover[at]
        for level, here in _split(allowed[rows]):
            junior = cand_level <= level
            if junior.all():
                classes = _classes(cand, kind, where, s.mentees, None)
            else:
                classes = _classes(cand[junior], kind[junior], where[junior], s.mentees, None)
            yield rows[here], classes


def _compact(bits: IntArray, width: int) -> tuple[IntArray, IntArray]:
    """The distinct values of ``bits`` (subsets of ``width`` goals) and each
    one's position among them, without sorting when there are few subsets."""
    if width > 16:
        subsets, kind = np.unique(bits, return_inverse=True)
        return subsets, kind.reshape(-1)
    subsets = np.flatnonzero(np.bincount(bits, minlength=1 << width))
    lookup = np.zeros(1 << width, dtype=np.int64)
    lookup[subsets] = np.arange(len(subsets))
    return subsets, lookup[bits]


def _split(values: IntArray) -> Iterator[tuple[int, BoolArray]]:
    """(value, mask) for each distinct value of a short array."""
    for value in sorted(set(values.tolist())):
        yield value, values == value


def _classes(
    cols: IntArray, kind: IntArray, where: IntArray, side: People, cover: IntArray | None
) -> Classes:
    """Classes of ``cols`` by kind (goal subset, or goal points), zone and team;
    goal8 from ``cover`` (rows x kinds), or the kind itself as goal points
    (then one row: _stacked repeats it)."""
    start, count, kind_of_first = classes_of(cols, kind, where, side)
    members = cols
    first = members[start]
    points = cover[:, kind_of_first] if cover is not None else kind_of_first[None, :]
    return Classes(
        members=members,
        start=start[None, :],
        count=count[None, :],
        zone=side.zone[first][None, :],
        has_team=(side.team[first] >= 0)[None, :],
        goal8=np.rint(GOAL8 * points).astype(np.int64),
    )


def _batches(
    groups: Iterable[tuple[IntArray, Classes]], rows_per_batch: int = 2048
) -> Iterator[tuple[IntArray, Classes]]:
    """Groups of rows with their classes, stacked into batches of about
    ``rows_per_batch`` rows: one pass of the generator per batch, not per group."""
    batch: list[tuple[IntArray, Classes]] = []
    size = 0
    for rows, classes in groups:
        batch.append((rows, classes))
        size += len(rows)
        if size >= rows_per_batch:
            yield _stacked(batch)
            batch, size = [], 0
    if batch:
        yield _stacked(batch)


def _stacked(parts: list[tuple[IntArray, Classes]]) -> tuple[IntArray, Classes]:
    """One table of rows x classes (padded with empty classes), rows sorted."""
    width = max(c.count.shape[1] for _, c in parts)
    total = sum(len(rows) for rows, _ in parts)
    fields = {
        name: np.zeros((total, width), dtype=bool if name == "has_team" else np.int64)
        for name in ("start", "count", "zone", "has_team", "goal8")
    }
    at, offset, members = 0, 0, []
    for rows, c in parts:
        n, w = len(rows), c.count.shape[1]
        for name, table in fields.items():
            value = getattr(c, name) + (offset if name == "start" else 0)
            table[at : at + n, :w] = value
        members.append(c.members)
        at, offset = at + n, offset + len(c.members)
    rows = np.concatenate([rows for rows, _ in parts])
    order = np.argsort(rows)
    stacked = Classes(np.concatenate(members), **{k: v[order] for k, v in fields.items()})
    return rows[order], stacked


def _slices(labels: IntArray, open_: BoolArray) -> Iterator[tuple[int, IntArray]]:
    """(label, sorted indices with that label among the open ones), per label."""
    at = np.flatnonzero(open_)
    order = np.argsort(labels[at], kind="stable")
    at, sorted_labels = at[order], labels[at][order]
    bounds = np.flatnonzero(np.diff(sorted_labels)) + 1
    for chunk in np.split(at, bounds):
        if len(chunk):
            yield int(labels[chunk[0]]), chunk


def _member(sorted_keys: IntArray, keys: IntArray) -> BoolArray:
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(0, len(sorted_keys) - 1)
    found: BoolArray = sorted_keys[at] == keys
    return found
