"""What every part of the engine shares: the problem as index arrays, how error
messages name mentors, mentees and groups, and the one error the engine raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ArrayLike = npt.ArrayLike

INT64_MAX = 2**63 - 1


class MatchingError(ValueError):
    """The input cannot be matched as given; the message says what is wrong."""


@dataclass
class Problem:
    """The eligible pairs as index arrays, their integer score units, and the limits."""

    mentor: IntArray
    mentee: IntArray
    units: IntArray
    capacity: IntArray  # per mentor
    n_mentees: int
    group_of: IntArray  # per mentee, -1 when in no capped group
    group_cap: IntArray  # per group

    @property
    def n_mentors(self) -> int:
        return len(self.capacity)

    def keys(self) -> IntArray:
        """One int64 per pair, ordered by mentee then mentor."""
        return self.mentee * max(self.n_mentors, 1) + self.mentor


@dataclass(frozen=True)
class Names:
    """How error messages name a mentor, a mentee and a group: by id for
    ``solve``, by index for ``solve_arrays``."""

    mentor: Callable[[int], str]
    mentee: Callable[[int], str]
    group: Callable[[int], str]

    def pair(self, mentor: int, mentee: int) -> str:
        return f"({self.mentor(mentor)}, {self.mentee(mentee)})"

    def edge_of(self, mentors: IntArray, mentees: IntArray) -> Callable[[int], str]:
        return lambda e: self.pair(int(mentors[e]), int(mentees[e]))
