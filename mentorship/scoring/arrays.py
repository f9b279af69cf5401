"""Array helpers: listed pairs sorted by row and sliced per block, distinct
keys, membership in sorted keys, positions of ids."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class PairList:
    """Listed (row, col) pairs (preferences, manager chains, past pairs), sorted by
    row then column, so a block of rows finds its own pairs by two binary
    searches instead of searching every pair for every block."""

    rows: IntArray
    cols: IntArray
    values: IntArray  # one per pair (a preference's rank; 0 when unused)

    @classmethod
    def of(
        cls, rows: npt.ArrayLike, cols: npt.ArrayLike, values: npt.ArrayLike | None = None
    ) -> PairList:
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        v = np.zeros(len(r), np.int64) if values is None else np.asarray(values, dtype=np.int64)
        order = np.lexsort((c, r))
        return cls(r[order], c[order], v[order])

    @classmethod
    def once(cls, rows: IntArray, cols: IntArray) -> PairList:
        """The pairs, each once."""
        width = int(cols.max(initial=0)) + 1
        keys = distinct(rows * width + cols)  # sorted, as the pairs must be
        return cls(keys // width, keys % width, np.zeros(len(keys), np.int64))

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


def runs(starts: IntArray, counts: IntArray) -> IntArray:
    """The positions starts[0] .. starts[0] + counts[0] - 1, then those of the
    next run, and so on, concatenated: many slices taken in one gather."""
    total = int(counts.sum())
    first = np.repeat(starts - np.cumsum(counts) + counts, counts)
    positions: IntArray = first + np.arange(total)
    return positions


def index_of(ids: IntArray, wanted: IntArray) -> IntArray:
    """Where each of ``wanted`` is in ``ids`` (distinct values), -1 where it is
    not: a binary search for a whole list at once, where a dict costs a Python
    call per value."""
    if not len(ids):
        return np.full(len(wanted), -1, np.int64)
    order = np.argsort(ids)
    at = order[np.searchsorted(ids, wanted, sorter=order).clip(0, len(ids) - 1)]
    found: IntArray = np.where(ids[at] == wanted, at, -1)
    return found


def int_table(rows: Iterable[tuple[int, ...]], width: int) -> IntArray:
    """Tuples of ``width`` ints as an int64 table, read as one flat run of
    numbers (np.array converts tuple by tuple, four times slower)."""
    return np.fromiter(itertools.chain.from_iterable(rows), np.int64).reshape(-1, width)


def member(sorted_keys: IntArray, keys: IntArray) -> BoolArray:
    """Which of ``keys`` are in ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(0, len(sorted_keys) - 1)
    found: BoolArray = sorted_keys[at] == keys
    return found


def distinct_rows(flags: BoolArray) -> tuple[BoolArray, IntArray]:
    """np.unique(flags, axis=0, return_inverse=True) for a boolean table: the
    distinct rows in the same (lexicographic) order, and each row's position
    among them; with each row as one int64 of bits when it fits, a sort of
    numbers instead of a sort of rows."""
    width = flags.shape[1]
    if width > 62 or not width:  # (no flags at all: np.unique copes)
        rows, inverse = np.unique(flags, axis=0, return_inverse=True)
        return rows, inverse.reshape(-1).astype(np.int64)
    # The first column is the most significant bit: numbers sort as rows do.
    weights = 1 << np.arange(width - 1, -1, -1, dtype=np.int64)
    keys, inverse = np.unique(flags.astype(np.int64) @ weights, return_inverse=True)
    distinct_flags: BoolArray = ((keys[:, None] & weights[None, :]) > 0).reshape(-1, width)
    return distinct_flags, inverse.reshape(-1).astype(np.int64)
