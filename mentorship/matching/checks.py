"""Checking the input: index arrays and their ranges, capacities and group caps,
the edges' shape, and ids put in a canonical order that ignores the input's."""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence, Sized
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np

from .problem import ArrayLike, IntArray, MatchingError

T = TypeVar("T", bound=Hashable)

_SHOWN = 5  # how many offending ids an error message names


def index_array(values: ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise MatchingError(f"{name} must be a 1-D array of integer indices")
    return array.astype(np.int64, copy=False)


def count_array(values: ArrayLike, name: str, what: str) -> IntArray:
    """Capacities and group caps as arrays: ints >= 0."""
    array = index_array(values, name)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        k = int(negative[0])
        raise MatchingError(f"{name} of {what} {k} is negative ({int(array[k])})")
    return array


def check_range(indices: IntArray, size: int, what: str, bound: str) -> None:
    outside = np.flatnonzero((indices < 0) | (indices >= size))
    if outside.size:
        bad = int(indices[outside[0]])
        raise MatchingError(f"{what} index {bad} is out of range ({bound} {size})")


def check_counts(counts: Mapping[Any, Any], name: str, what: str) -> None:
    """Capacities and group caps are ints >= 0."""
    for key, value in counts.items():
        if type(value) is not int and (  # the common case first: 5,000 checks add up
            isinstance(value, bool) or not isinstance(value, numbers.Integral)
        ):
            raise MatchingError(f"{name} of {what} {key!r} must be an int, got {value!r}")
        if value < 0:
            raise MatchingError(f"{name} of {what} {key!r} is negative ({value})")


def edge_columns(edge_list: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """Split the edges into mentor, mentee and score columns, checking their shape."""
    try:
        well_formed = set(map(len, edge_list)) <= {3}
    except TypeError:
        well_formed = False
    if not well_formed:
        bad = next(e for e in edge_list if not isinstance(e, Sized) or len(e) != 3)
        raise MatchingError(f"each edge must be a (mentor, mentee, score) triple, got {bad!r}")
    try:
        columns = [list(map(itemgetter(k), edge_list)) for k in range(3)]
    except (TypeError, KeyError, IndexError):
        raise MatchingError("each edge must be a (mentor, mentee, score) triple") from None
    return columns[0], columns[1], columns[2]


def canonical(ids: Iterable[T], what: str = "id") -> list[T]:
    """The distinct ids in a fixed order that does not depend on the input's order."""
    try:
        unique = set(ids)
    except TypeError as error:
        raise MatchingError(f"{what}s must be hashable ({error})") from None
    try:
        return sorted(unique)  # type: ignore[type-var]
    except TypeError:  # ids of mixed types, or that do not compare
        return sorted(unique, key=lambda x: (type(x).__module__, type(x).__qualname__, repr(x)))


def ids_shown(ids: Sequence[object]) -> str:
    shown = ", ".join(repr(x) for x in ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


def capped_group(group_of: Mapping[Any, Any], mentee: Any, group_cap: Mapping[Any, int]) -> Any:
    """The mentee's group if that group is capped, else None."""
    group = group_of.get(mentee)
    try:
        return group if group is not None and group in group_cap else None
    except TypeError:
        raise MatchingError(f"group of mentee {mentee!r} must be hashable, got {group!r}") from None
