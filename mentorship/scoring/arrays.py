"""Array helpers for scoring in blocks: finding listed pairs inside a block,
keeping the best cells of each row and of each column, distinct keys."""

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

FLOOR = np.float32(-1e30)  # below any score, above the -inf of ineligible cells


def pairs_in(
    pair_rows: IntArray, pair_cols: IntArray, rows: IntArray, cols: IntArray
) -> tuple[IntArray, IntArray, BoolArray]:
    """Positions inside a rows x cols block of the (row, col) pairs that fall in it."""
    if not len(pair_rows) or not len(rows) or not len(cols):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(len(pair_rows), dtype=bool)
    at_row = np.searchsorted(rows, pair_rows).clip(0, len(rows) - 1)
    at_col = np.searchsorted(cols, pair_cols).clip(0, len(cols) - 1)
    inside = (rows[at_row] == pair_rows) & (cols[at_col] == pair_cols)
    return at_row[inside], at_col[inside], inside


def distinct(keys: IntArray) -> IntArray:
    """Sorted distinct values (np.unique, without its hashing detour for int64)."""
    keys = np.sort(keys)
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def row_best(ranked, counts, k: int) -> IntArray:
    """Flat positions of each row's eligible (finite) cells, only the k best of
    a row that has more (ties are broken already)."""
    crowded = counts > k
    if not crowded.any():
        return np.flatnonzero(np.isfinite(ranked))
    floor = np.full(len(ranked), FLOOR, dtype=np.float32)
    floor[crowded] = -np.partition(-ranked[crowded], k - 1, axis=1)[:, k - 1]
    return np.flatnonzero(ranked >= floor[:, None])


class ColumnBest:
    """The k best rows of every column, over blocks of rows seen one at a time.

    A running threshold per column (the best k-th value of any block so far: a
    lower bound of the final k-th value) lets through only cells that can still
    make it; what was kept is filtered again by the risen threshold whenever it
    grows large, and the final pick sorts what is left."""

    def __init__(self, columns: int, k: int):
        self.columns, self.k = columns, k
        self.threshold = np.full(columns, FLOOR, dtype=np.float32)
        self.found: list[IntArray] = []
        self.scores: list[npt.NDArray[np.float32]] = []
        self.pending = 0  # cells kept so far
        self.compacted = 0  # of which, already filtered by the threshold

    def add(self, start: int, ranked) -> None:
        if len(ranked) > self.k:
            kth = np.partition(ranked, len(ranked) - self.k, axis=0)[len(ranked) - self.k]
            np.maximum(self.threshold, kth, out=self.threshold)
        cells = np.flatnonzero(ranked >= self.threshold[None, :])
        self.found.append(start * self.columns + cells)
        self.scores.append(ranked.ravel()[cells])
        self.pending += len(cells)
        # Filter again once the new cells outnumber the filtered ones: linear overall.
        if self.pending - self.compacted > max(self.compacted, 4 * self.k * self.columns):
            self._compact()

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
        return found[order][rank < self.k]
