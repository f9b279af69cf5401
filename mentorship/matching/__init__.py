"""The exact matching engine: pairs mentees with mentors so that as many mentees
as possible are matched and, among those assignments, the total score is largest.

Pure Python (numpy and OR-Tools, no Django), so onboarding can use it to pick
buddies and tests can run it on plain data. Two entry points, one engine:

    result = solve_arrays(mentors, mentees, scores, capacity)   # numpy in, numpy out
    result.mentor_of      # per mentee index, the mentor index or -1

    pairs = solve(edges, capacity)   # -> dict[mentee, mentor], for callers with ids

``solve_arrays`` is what the match run feeds end to end: the eligible pairs as
int64 index arrays (mentors 0..len(capacity)-1, mentees 0..n_mentees-1), so no
Python work is done per pair. ``solve`` maps ids to indices (in their natural
sort order) and calls the same engine.

How it works: a min-cost flow, solved by OR-Tools' ``SimpleMinCostFlow`` with
``solve_max_flow_with_min_cost`` (the largest flow first, then the cheapest of
those flows), on this network::

    source -> [group node, cap = group cap] -> mentee (cap 1) -> mentor (cap 1,
    cost = best score - score) -> sink (cap = mentor capacity)

Every unit of flow crosses exactly one mentee -> mentor arc, so for a fixed
number of matches the cheapest flow is the one with the largest total score.

Decisions worth knowing:

- Scores become integer units for the solver with the smallest scale that is
  exact: integers as they are; other scores times the smallest divisor of
  ``FLOAT_SCALE`` (10**6) that makes every one of them a whole number (scores in
  quarters are scaled by 4, in cents by 100). Scores with more than six decimals
  are rounded to micro-units (1 / FLOAT_SCALE): the result is then exactly
  optimal for the rounded scores, so its total is within ``matched * 1e-6`` of
  the true optimum. The costs are then divided by their greatest common divisor:
  smaller costs mean fewer scaling rounds for the solver, and the same optimum.
  NaN and infinite scores are refused.
- Every mentor with an edge needs a capacity (in ``solve``, a missing entry is
  far more often a bug in the caller than a deliberate 0; extra entries are fine).
- ``locked`` pairs are assigned first (their mentor's capacity and their
  group's cap shrink accordingly), then the rest is solved: the result is the
  optimum among assignments that contain every locked pair. The same pair
  locked twice counts once.
- Determinism: the network is built with the edges in (mentee, mentor) index
  order, whatever order they come in, so the same edges in any order give the
  same result. ``solve`` numbers ids in their natural sort order (or, for ids
  that do not compare, by type name then ``repr``); ids of one type with the
  same ``repr`` that are not equal are the one case this cannot order.

Where things are, in the order a call meets them:

- ``entry_points``: ``solve_arrays``, ``solve``, ``solve_with_stats`` and what
  they return (``ArrayMatch``, ``MatchResult``).
- ``checks``: the input's shape, capacities and group caps, ids in canonical order.
- ``scores``: scores as exact integer units for the solver (``FLOAT_SCALE``).
- ``locks``: locked pairs, found among the edges and checked against the limits.
- ``flow``: the network above, built and solved with OR-Tools.
- ``problem``: what they all share: the index arrays, how errors name
  mentors, mentees and groups, and ``MatchingError``.
"""

from .entry_points import ArrayMatch, MatchResult, solve, solve_arrays, solve_with_stats
from .problem import MatchingError
from .scores import FLOAT_SCALE

__all__ = [
    "FLOAT_SCALE",
    "ArrayMatch",
    "MatchResult",
    "MatchingError",
    "solve",
    "solve_arrays",
    "solve_with_stats",
]
