"""Which of the other side each person ("row") sees, in classes whose
members all have the same upper bound of the pair's score for that row (see
candidates.py, which takes each row's best from them): for a mentee, the
mentors who teach the same subset of the mentee's goals, in the same
timezone, with or without a team, and senior enough; for a mentor, the
mentees whose goals the mentor covers by the same points, likewise, and
junior enough. Members of a class are sorted by the ranking's tie-break, so
the best of a class are a prefix of it. Rows alike (same goals or teaching,
same level) share one table of classes; tables are stacked into batches.

A mentor's table need not hold every mentee who could be their candidate:
mentees whose goal points with the teaching set are too low to reach a
mentor's best can be left out of it, with a bound on what they could score
(Classes.rest8), which the generator checks like any class it left untaken
(see mentor_groups)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from .arrays import BoolArray, FloatArray, IntArray, PairList, distinct_rows, runs
from .weights import CROSS_TEAM_BONUS, GOAL_WEIGHT, OVERLAP_HOUR_WEIGHT, UNIT, tiebreak

GOAL8 = UNIT * GOAL_WEIGHT
CROSS8 = round(UNIT * CROSS_TEAM_BONUS)
NOTHING_LEFT_OUT = -1  # Classes.rest8 of a row whose table holds every partner


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
    # Per row (or one value for every row): the highest score (eighths) any
    # partner left out of its table could have with it; NOTHING_LEFT_OUT when
    # the table holds them all.
    rest8: IntArray

    def of(self, rows: BoolArray) -> Classes:
        """The classes of some of the rows."""
        return Classes(
            members=self.members,
            start=self.start[rows],
            count=self.count[rows],
            zone=self.zone[rows],
            has_team=self.has_team[rows],
            goal8=self.goal8[rows],
            rest8=self.rest8[rows],
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


@dataclass(frozen=True)
class Inputs:
    """What the candidate generation reads of a scored cycle (CycleScoring's
    index arrays)."""

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


def mentee_groups(
    s: Inputs, rows_open: BoolArray | None = None
) -> Iterator[tuple[IntArray, Classes]]:
    """Per goal set and required mentor level, the open mentees (rows;
    ``rows_open`` instead, to redo some) and the classes of mentors who teach
    at least one of those goals (every open mentor for mentees without
    goals), senior enough. Every such mentor: see candidates.LEFT_OUT_AFTER."""
    goal_sets, set_of = distinct_rows(s.goal_weight > 0)
    base = s.mentors.base
    teach_base = s.teach[base] > 0
    members = np.stack([base, s.mentors.level[base], s.mentors.where])
    required = s.mentees.level + s.min_level_gap
    for g, rows in _slices(set_of, s.mentees.open if rows_open is None else rows_open):
        goals = np.flatnonzero(goal_sets[g])
        bits = teach_base[:, goals] @ (1 << np.arange(len(goals), dtype=np.int64))
        at = np.flatnonzero(bits) if len(goals) else np.arange(len(base))
        subsets, kind = _compact(bits[at], len(goals))
        order = by_kind(kind)
        at, kind = at[order], kind[order]
        cand, cand_level, where = members[:, at]
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


def floor(by_points: FloatArray | IntArray, enough: int, extra8: int) -> int:
    """The lowest goal points worth keeping in a table, given how many
    partners have 0, 1, 2... goal points with its rows: the highest floor
    with at least ``enough`` partners ``step`` points above it, so many
    points that they outscore anyone below the floor whatever the rest of
    the score (``extra8`` at most: overlap, another team); 0 (keep everyone)
    if there is none."""
    step = int(extra8 // GOAL8)  # (step + 1) x GOAL8 > extra8
    at_least = np.cumsum(by_points[::-1])[::-1]  # partners with at least c points
    reaching = np.flatnonzero(at_least[step:] >= enough)
    return int(reaching[-1]) if len(reaching) else 0


def overlap8(s: Inputs) -> IntArray:
    """What the working-hour overlap of each pair of zones adds to a score, in eighths."""
    eighths: IntArray = np.round(UNIT * OVERLAP_HOUR_WEIGHT * s.overlap).astype(np.int64)
    return eighths


def most_beyond_goals(s: Inputs) -> int:
    """The most a pair scores (eighths) beyond its goal points: a full day's
    overlap, another team."""
    return int(overlap8(s).max(initial=0)) + CROSS8


def mentor_groups(
    s: Inputs, enough: int = 0, rows_open: BoolArray | None = None
) -> Iterator[tuple[IntArray, Classes]]:
    """Per teaching set and most senior mentee level allowed, the open mentors
    (rows; ``rows_open`` instead, to redo some) and the classes of mentees
    with at least one of those goals (or no goals), junior enough, by the goal
    points covered.

    With ``enough``, a table keeps only the mentees whose goal points reach a
    floor, set low enough that ``enough`` of them outscore anyone left out
    whatever their zones and teams (see floor): the generator then rarely
    needs the rest, and finds out when it does (Classes.rest8). Mentees are
    counted by goal profile (the same goals with the same weights), a few
    thousand whatever the size of the cycle, so the work per teaching set is
    a sum over profiles and the mentees kept, not a pass over every mentee."""
    teach_sets, set_of = distinct_rows(s.teach > 0)
    profiles = Profiles.of(s)
    top = int(s.mentees.level.max(initial=0))
    allowed = np.minimum(s.mentors.level - s.min_level_gap, top)
    open_rows = s.mentors.open if rows_open is None else rows_open
    for t, rows in _slices(set_of, open_rows):
        # The set's goal points per profile: the sum of a few competencies' rows.
        cover = profiles.weight_by_code[teach_sets[t]].sum(axis=0)
        seen = (cover > 0) | profiles.no_goals
        for level, here in _split(allowed[rows]):
            yield rows[here], profiles.classes(cover, seen, level, enough)


@dataclass(frozen=True)
class Profiles:
    """The open mentees (in base order) grouped by goal profile."""

    side: People
    weight_by_code: IntArray  # competencies x profiles: the goal weights, as integers
    no_goals: BoolArray  # per profile
    junior: IntArray  # profiles x levels: how many mentees at that level or below
    levels: IntArray  # the mentees' distinct levels, ascending
    members: IntArray  # base positions, grouped by profile, in base order within
    start: IntArray  # per profile, where its members begin (and one more: the end)
    extra8: int  # the most a pair scores beyond its goal points: overlap, other team

    @classmethod
    def of(cls, s: Inputs) -> Profiles:
        base = s.mentees.base
        weights = np.rint(s.goal_weight[base]).astype(np.int16)
        distinct, profile = np.unique(weights, axis=0, return_inverse=True)
        profile = profile.reshape(-1)
        levels, level_at = np.unique(s.mentees.level[base], return_inverse=True)
        counts = np.zeros((len(distinct), len(levels)), np.int64)
        np.add.at(counts, (profile, level_at.reshape(-1)), 1)
        members = np.argsort(profile, kind="stable")
        start = np.searchsorted(profile[members], np.arange(len(distinct) + 1))
        no_goals: BoolArray = np.logical_not((distinct > 0).any(axis=1))
        return cls(
            s.mentees,
            np.ascontiguousarray(distinct.T),
            no_goals,
            np.cumsum(counts, axis=1),
            levels,
            members,
            start,
            most_beyond_goals(s),
        )

    def classes(self, cover: IntArray, seen: BoolArray, level: int, enough: int) -> Classes:
        """The classes of the mentees of the ``seen`` profiles at ``level`` or
        below, by goal points (``cover``, per profile); with ``enough``, only
        those at or above the floor, and a bound on what the rest could score."""
        at_most = int(np.searchsorted(self.levels, level, side="right")) - 1
        count = self.junior[:, at_most] * seen if at_most >= 0 else np.zeros(len(seen), np.int64)
        by_points = np.bincount(cover, weights=count)
        lowest = floor(by_points, enough, self.extra8) if enough else 0
        chosen = np.flatnonzero((count > 0) & (cover >= lowest))
        sizes = np.diff(self.start)[chosen]
        at = self.members[runs(self.start[chosen], sizes)]
        points = np.repeat(cover[chosen], sizes)
        junior = self.side.level[self.side.base[at]] <= level
        at, points = at[junior], points[junior]
        order = np.argsort(points * len(self.members) + at)  # classes of points, in base order
        at, points = at[order], points[order]
        classes = _classes(self.side.base[at], points, self.side.where[at], self.side, None)
        if not lowest:
            return classes
        # Those left out have at most lowest - 1 points.
        rest8 = round(GOAL8 * (lowest - 1)) + self.extra8
        return replace(classes, rest8=np.array([rest8], np.int64))


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
        rest8=np.array([NOTHING_LEFT_OUT], np.int64),
    )


def batches(
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
    rest8 = np.concatenate([np.broadcast_to(c.rest8, len(rows)) for rows, c in parts])
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
    stacked = Classes(
        np.concatenate(members), rest8=rest8[order], **{k: v[order] for k, v in fields.items()}
    )
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
