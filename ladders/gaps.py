"""Which gaps are worth showing: one rule for the ladder page and the mentee
goals a rotation sign-up suggests.

Ratings are relative to the person's own level (3 meets it, 4 already works
at the next), so "below the next level" alone says little: someone rated 3
everywhere, as most people are, would have every competency as a gap. A
competency is a gap worth showing when

- it is rated below the person's own level (1 or 2), or
- it is rated below the next level while at least half of the person's
  competencies are already rated at it (the median rating is 4): then it
  stands out as what keeps them from the next level.

The biggest gaps come first (lowest rating, then ladder order), and at most
``GAP_LIMIT`` are shown and suggested; pages say how many more there are.
"""

import statistics
from collections.abc import Mapping
from typing import TypeVar

from .models import MEETS_LEVEL, MEETS_NEXT_LEVEL

GAP_LIMIT = 3

K = TypeVar("K")


def gap_size(rating: int) -> int:
    """How far a rating is from working at the next level (0 to 3)."""
    return max(MEETS_NEXT_LEVEL - rating, 0)


def gaps_worth_showing(ratings: Mapping[K, int | None]) -> list[K]:
    """The keys (competencies, codes...) whose rating is a gap worth showing,
    biggest first; ties keep the mapping's order (pass it in ladder order).
    Unrated competencies are left out: there is nothing to say about them."""
    rated = {key: rating for key, rating in ratings.items() if rating is not None}
    if not rated:
        return []
    typical = statistics.median_high(rated.values())
    worth = [
        key
        for key, rating in rated.items()
        if rating < MEETS_LEVEL or (rating < MEETS_NEXT_LEVEL and rating < typical)
    ]
    order = {key: index for index, key in enumerate(rated)}
    return sorted(worth, key=lambda key: (rated[key], order[key]))


def biggest_gaps(ratings: Mapping[K, int | None]) -> list[K]:
    """The gaps worth showing, at most GAP_LIMIT of them."""
    return gaps_worth_showing(ratings)[:GAP_LIMIT]
