"""Who may be paired with whom in a cycle, how well, and why: the eligible
(mentor, mentee, score) edges the matching engine solves, as index arrays, an
explanation for any pair, and a reason for every person left unmatched.

The package: cycle (the arrays, the rules and the candidate scan), people (who
may take part, and the pairs that lists name), funnel (how many partners each
person has left after each rule), reasons (the words, a collaborator that reads
only what ReasonInputs declares), weights (the score), arrays (numpy helpers:
listed pairs, best cells per row and column).

Built in bulk: selectors.match_inputs loads everything in a fixed number of
queries; then the rules run on numpy arrays, never per pair in Python.

Which pairs are candidates: a mentor who teaches at least one of the mentee's
learning goals, or whom the mentee ranked; a mentee who named no goals is a
candidate for every mentor. A candidate is eligible when every hard rule holds:

- seniority: mentor level position - mentee level position >= cycle.min_level_gap;
- the mentor is not in the mentee's manager chain;
- the two were not published as a pair in the cycle's ``repeat_window`` cycles before;
- different teams, when the cycle requires it;
- the mentor offers capacity > 0;
- neither person is already at the concurrent-commitment limit, and both have
  a level inside the cycle's rules (mentor minimum, mentee range).

How the candidates are generated, and why no eligible pair is missed
--------------------------------------------------------------------

1. The funnel counts (how many partners each person has left after each rule:
   what every "why unmatched" sentence is made of) are counted without visiting
   pairs (funnel.py). Apart from three short lists of named pairs (preferences, manager
   chains, past pairs), whether a pair passes a rule depends only on what its
   two people are: the mentee's goals and level, the mentor's teaching and level,
   both teams, whether each is open. So people are grouped into kinds (same
   goals or teaching, same level), kinds are counted (per team too, for the
   cross-team rule), a kinds x kinds table says which rules hold, and each
   listed pair is then moved from the stages it was counted in as an ordinary
   pair to the stages it really passes. The counts are exact: the test compares
   them with a scan of every pair.
2. The candidate edges come from a scan of every mentee against every mentor
   in blocks of about BLOCK_CELLS cells: each block's eligibility is the
   conjunction of the rules above in a few array passes (one mask per mentee
   level for seniority and the mentor's own rules; the listed pairs cleared or
   set by position). Every pair is visited, so every eligible pair is seen; in
   a cycle of ordinary size every eligible pair becomes an edge.
3. In a large cycle (each of 10,000 mentees may have thousands of eligible
   mentors) a mentee keeps their CANDIDATES_PER_MENTEE best, a mentor their
   CANDIDATES_PER_MENTOR best (a k-best per column whose threshold is the k-th
   best value kept so far, so only cells that can still make it are kept), and
   every eligible ranked preference stays. After the solve, rescue_arrays
   offers whoever is left out every eligible mentor who still has room (all of
   them, from the same rules), in a second solve: no mentee stays unmatched for
   want of an edge the pruning dropped while an eligible mentor has room. The
   engine is exact on the edges it is given.

Why the scan is still one of every pair: the best-k choice ranks pairs by a
float32 score computed by a matrix product, whose last bit depends on the
shapes BLAS is given; the choice at ties follows those bits. The candidate set
must stay exactly as it was (tests/mentorship/test_scoring_candidates.py keeps
the previous scan as the reference), so the scan keeps the same blocks and the
same products. Generating candidates only from what can make them (mentors by
what they teach, by goal coverage tier: a mentee's k best lie in their top
tiers, since the rest of a score adds at most 12 points to 3 x goal points)
needs the ranking defined exactly first (an integer key: score in eighths, then
the tie-break), which changes some candidate sets once; that is the next step.

The score (higher is better) adds up, with the weights below:

- for each of the mentee's goals the mentor teaches, GOAL_WEIGHT x (1 + gap),
  the gap being 4 - the manager's rating on the latest finalised assessment
  (UNRATED_GAP when unrated), so bigger gaps count more;
- PREFERENCE_BONUS by the rank the mentee gave the mentor;
- CROSS_TEAM_BONUS when the two are on different teams;
- OVERLAP_HOUR_WEIGHT per hour the two working days (WORKDAY, local time) overlap.
"""

from .cycle import Block, CycleScoring, score_cycle
from .weights import (
    CANDIDATES_PER_MENTEE,
    CANDIDATES_PER_MENTOR,
    CROSS_TEAM_BONUS,
    GOAL_WEIGHT,
    LATER_PREFERENCE_BONUS,
    OVERLAP_HOUR_WEIGHT,
    PREFERENCE_BONUS,
    UNRATED_GAP,
    WORKDAY,
)

__all__ = [
    "CANDIDATES_PER_MENTEE",
    "CANDIDATES_PER_MENTOR",
    "CROSS_TEAM_BONUS",
    "GOAL_WEIGHT",
    "LATER_PREFERENCE_BONUS",
    "OVERLAP_HOUR_WEIGHT",
    "PREFERENCE_BONUS",
    "UNRATED_GAP",
    "WORKDAY",
    "Block",
    "CycleScoring",
    "score_cycle",
]
