"""Array helpers for scoring in blocks: listed pairs sorted by row and sliced
per block, keeping the best cells of each row and of each column, distinct keys."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]

FLOOR = np.float32(-1e30)  # below any score, above the -inf of ineligible cells


@dataclass(frozen=True)
class PairList:
    """Listed (row, col) pairs (preferences, manager chains, past pairs), sorted by
    row then column, so a block of rows finds its own pairs by two binary
    searches instead of searching every pair for every block."""

    rows: IntArray
    cols: IntArray
    values: IntArray  # one per pair (a preference's rank; 0 when unused)

    @classmethod
    def of(cls, rows: list[int], cols: list[int], values: list[int] | None = None) -> PairList:
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        v = np.asarray(values if values is not None else [0] * len(rows), dtype=np.int64)
        order = np.lexsort((c, r))
        return cls(r[order], c[order], v[order])

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self, columns: int) -> IntArray:
        """row * columns + col: sorted, since the pairs are."""
        return self.rows * max(columns, 1) + self.cols

    def within(self, rows: IntArray, cols: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        """Positions inside a rows x cols block (sorted index arrays) of the pairs
        that fall in it, and the pairs' positions in this list."""
        if not len(self.rows) or not len(rows) or not len(cols):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        lo = int(np.searchsorted(self.rows, rows[0], side="left"))
        hi = int(np.searchsorted(self.rows, rows[-1], side="right"))
        pair_rows, pair_cols = self.rows[lo:hi], self.cols[lo:hi]
        if not len(pair_rows):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        at_row = np.searchsorted(rows, pair_rows).clip(0, len(rows) - 1)
        at_col = np.searchsorted(cols, pair_cols).clip(0, len(cols) - 1)
        inside = (rows[at_row] == pair_rows) & (cols[at_col] == pair_cols)
        return at_row[inside], at_col[inside], lo + np.flatnonzero(inside)


def distinct(keys: IntArray) -> IntArray:
    """Sorted distinct values (np.unique, without its hashing detour for int64)."""
    keys = np.sort(keys)
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def row_best(ranked: Float32Array, counts: IntArray, k: int) -> IntArray:
    """Flat positions of each row's eligible (finite) cells, only the k best of
    a row that has more (ties are broken already)."""
    crowded = counts > k
    if not crowded.any():
        return np.flatnonzero(np.isfinite(ranked)).astype(np.int64)
    floor = np.full(len(ranked), FLOOR, dtype=np.float32)
    kth = ranked.shape[1] - k  # the k-th largest sits there once partitioned
    crowd = ranked if crowded.all() else ranked[crowded]
    floor[crowded] = np.partition(crowd, kth, axis=1)[:, kth]
    return np.flatnonzero(ranked >= floor[:, None]).astype(np.int64)


class ColumnBest:
    """The k best rows of every column, over blocks of rows seen one at a time.

    The k best values seen so far in each column are kept (a k x columns
    array); their smallest is a lower bound of the column's final k-th value, so
    a cell below it can never be among the k best and is not kept. Kept cells
    are filtered again by the risen threshold whenever they grow large, and the
    final pick sorts what is left: the same cells as sorting every cell, with
    memory of about k cells per column."""

    def __init__(self, columns: int, k: int):
        self.columns, self.k = columns, k
        self.best = np.zeros((0, columns), dtype=np.float32)
        self.threshold = np.full(columns, FLOOR, dtype=np.float32)
        self.found: list[IntArray] = []
        self.scores: list[Float32Array] = []
        self.pending = 0  # cells kept so far
        self.compacted = 0  # of which, already filtered by the threshold

    def add(self, start: int, ranked: Float32Array) -> None:
        k = self.k
        if len(self.best) < k:  # the first rows: every cell may be among the best
            top = ranked if len(ranked) <= k else np.partition(ranked, len(ranked) - k, axis=0)[-k:]
            both = np.concatenate([self.best, top])
            self.best = both if len(both) <= k else np.partition(both, len(both) - k, axis=0)[-k:]
            if len(self.best) == k:
                np.maximum(self.threshold, self.best.min(axis=0), out=self.threshold)
            cells = np.flatnonzero(ranked >= self.threshold[None, :])
            values = ranked.ravel()[cells]
        else:
            # Only cells at or above a column's k-th best so far can change it.
            cells = np.flatnonzero(ranked >= self.threshold[None, :])
            values = ranked.ravel()[cells]
            self._merge(cells % self.columns, values)
            still = values >= self.threshold[cells % self.columns]
            cells, values = cells[still], values[still]
        self.found.append(start * self.columns + cells)
        self.scores.append(values)
        self.pending += len(cells)
        # Filter again once the new cells outnumber the filtered ones: linear overall.
        if self.pending - self.compacted > max(self.compacted, 4 * k * self.columns):
            self._compact()

    def _merge(self, columns: IntArray, values: Float32Array) -> None:
        """Fold new cells into the k best of their columns, and raise those
        columns' thresholds: a partition of the touched columns only."""
        if not len(columns):
            return
        order = np.argsort(columns, kind="stable")
        columns, values = columns[order], values[order]
        touched, first, count = np.unique(columns, return_index=True, return_counts=True)
        rank = np.arange(len(columns)) - np.repeat(first, count)
        padded = np.full((int(count.max()), len(touched)), -np.inf, dtype=np.float32)
        padded[rank, np.repeat(np.arange(len(touched)), count)] = values
        both = np.concatenate([self.best[:, touched], padded])
        top = np.partition(both, len(both) - self.k, axis=0)[-self.k :]
        self.best[:, touched] = top
        self.threshold[touched] = np.maximum(self.threshold[touched], top.min(axis=0))

    def _compact(self) -> None:
        found, scores = np.concatenate(self.found), np.concatenate(self.scores)
        still = scores >= self.threshold[found % self.columns]
        self.found, self.scores = [found[still]], [scores[still]]
        self.pending = self.compacted = int(still.sum())

    def keys(self) -> IntArray:
        """row * columns + column of each column's k best cells."""
        if not self.found:
            return np.zeros(0, dtype=np.int64)
        self._compact()
        found, scores = self.found[0], self.scores[0]
        columns = found % self.columns
        # By column, best first (scores are under 1,000): one sort of one key.
        order = np.argsort(columns * 1000.0 - scores, kind="stable")
        columns = columns[order]
        rank = np.arange(len(columns)) - np.searchsorted(columns, columns, side="left")
        picked: IntArray = found[order][rank < self.k]
        return picked
