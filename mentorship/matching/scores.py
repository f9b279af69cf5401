"""Scores as integer units for the solver: exact where a small scale makes them
whole, else rounded to 1 / FLOAT_SCALE (the package docstring says what that
costs)."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from .problem import INT64_MAX, IntArray, MatchingError

FLOAT_SCALE = 10**6
"""Scores that no smaller divisor of this makes whole are rounded to 1 / FLOAT_SCALE."""

_SCALES = [d for d in range(1, FLOAT_SCALE + 1) if FLOAT_SCALE % d == 0]  # 49, ascending
_PROBE = 512  # scores tried first with each scale: most scales fail on the first few


def score_units(scores: Any, edge: Callable[[int], str]) -> tuple[IntArray, bool]:
    """Scores as int64 units for the solver, and whether they are exact as given
    (integers). ``edge(k)`` names the k-th edge in error messages."""
    if len(scores) == 0:
        return np.zeros(0, np.int64), True
    try:
        array = np.asarray(scores)
    except (OverflowError, ValueError, TypeError):
        array = np.asarray(scores, dtype=object)
    if array.dtype.kind == "O":  # Decimal, Fraction, huge ints, or not numbers at all
        converted: list[int | float] = []
        for i, score in enumerate(array.tolist()):
            if isinstance(score, numbers.Integral) and not isinstance(score, bool):
                converted.append(int(score))
            elif isinstance(score, numbers.Real | Decimal) and not isinstance(score, bool):
                converted.append(float(score))
            else:
                raise MatchingError(_bad_score(edge(i), "is not a number", score))
        if all(isinstance(score, int) for score in converted):
            if min(converted) < -INT64_MAX or max(converted) > INT64_MAX:
                raise MatchingError("integer scores must fit in 64 bits; scale them down")
            return np.asarray(converted, dtype=np.int64), True
        array = np.asarray(converted, dtype=np.float64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64), True
    if array.dtype.kind != "f":
        values = array.tolist()
        i = next(i for i, s in enumerate(values) if isinstance(s, bool) or not _is_number(s))
        raise MatchingError(_bad_score(edge(i), "is not a number", values[i]))
    array = array.astype(np.float64)
    finite = np.isfinite(array)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise MatchingError(_bad_score(edge(i), "is not finite", array[i].item()))
    if np.abs(array).max() * FLOAT_SCALE >= 2.0**62:
        raise MatchingError(
            f"scores up to {np.abs(array).max():g} are too large to solve exactly once "
            f"scaled by {FLOAT_SCALE}; scale them down"
        )
    return np.rint(array * _exact_scale(array)).astype(np.int64), False


def _exact_scale(array: npt.NDArray[np.float64]) -> int:
    """The smallest divisor of FLOAT_SCALE that makes every score a whole number
    (to the precision of a double), else FLOAT_SCALE: scores then round."""
    probe = array[:_PROBE]
    for scale in _SCALES:
        if _whole(probe, scale) and _whole(array, scale):
            return scale
    return FLOAT_SCALE


def _whole(array: npt.NDArray[np.float64], scale: int) -> bool:
    scaled = array * scale
    return bool(np.all(np.rint(scaled) / scale == array))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real | Decimal)


def _bad_score(edge: str, problem: str, value: object) -> str:
    return f"score of edge {edge} {problem}: {value!r}"
