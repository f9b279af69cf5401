"""Who may be paired with whom in a cycle, how well, and why: the eligible
(mentor, mentee, score) edges the matching engine solves, an explanation for
any pair, and a reason for every person left unmatched.

The package: cycle (the arrays and rules, in blocks), reasons (the words),
weights (the score), arrays (numpy helpers).

Built in bulk: selectors.match_inputs loads everything in a fixed number of
queries, then the rules run on numpy arrays, a block of mentees against every
mentor at a time, so 10,000 x 5,000 sign-ups cost array operations, not Python
work per candidate pair.

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

In a cycle of ordinary size every eligible pair goes to the engine. In a large
one (each of 10,000 mentees may have thousands of eligible mentors), a mentee
keeps their CANDIDATES_PER_MENTEE best, a mentor their CANDIDATES_PER_MENTOR
best, and every ranked preference stays; after the solve, whoever is left out
is offered every eligible mentor who still has room, in a second solve
(rescue_edges). The engine is exact on the edges it is given.

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
