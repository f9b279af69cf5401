"""Who may be paired with whom in a cycle, how well, and why: the eligible
(mentor, mentee, score) edges the matching engine solves, as index arrays, an
explanation for any pair, and a reason for every person left unmatched.

The package: indexes (the cycle as index arrays, and the rules on blocks of
pairs), cycle (CycleScoring: candidates, funnel counts, scores, words),
candidates (which pairs are scored and kept, without visiting every pair) and
groups (the classes of partners it takes them from), rescue (the second solve
for whoever the first left out), people (who may take part, and the pairs that
lists name), funnel (how many partners each person has left after each rule),
reasons (the words, a collaborator that reads only what ReasonInputs
declares), weights (the score), arrays (numpy helpers for listed pairs).

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
2. The ranking is exact. A pair's score counted in eighths is an integer
   (every weight is a multiple of 1/8; working-hour overlaps are multiples of
   1/4 hour because timezone offsets are multiples of 15 minutes). A mentee
   ranks mentors by (score, the mentor's tie-break value, lower mentor index),
   a mentor ranks mentees by (score, the mentee's tie-break value, lower
   mentee index); the tie-break value is a fixed pseudo-random number below
   4093 of the sign-up id (weights.tiebreak), so ties do not all go to the
   first sign-ups. The ranking is one int64 key per pair (candidates.rank_keys).
3. Every eligible pair is a candidate when the person has at most k eligible
   partners; in a large cycle a mentee keeps their CANDIDATES_PER_MENTEE best
   by that ranking, a mentor their CANDIDATES_PER_MENTOR best, and every
   eligible ranked preference stays. After the solve, a second solve offers
   whoever is left out the eligible mentors who still have room (rescue.py):
   a few of their best each, more for anyone whose few all filled up, until
   the solution is proven optimal over every such pair. The engine is exact
   on the edges it is given.
4. The candidates are generated without visiting every mentee x mentor pair
   (candidates.py, groups.py). For a mentee, the mentors who can be candidates are those
   who teach one of the mentee's goals (every mentor, for a mentee without
   goals), senior enough and open to pairing; they fall into classes by which
   of the goals they teach, timezone and whether they have a team. Every
   member of a class has the same score for that mentee, except those on the
   mentee's own team (lower, or ineligible), so the class's score is an upper
   bound for all of its members, and members are kept sorted by the
   tie-break: the best of a class are a prefix. The mentee takes whole
   classes from the highest bound down until they hold k people (plus a
   margin), and from the classes at that last bound a prefix of each. Mentors
   rank mentees the same way, their classes being the mentees whose goals
   they cover by the same points. The pairs taken are checked against every
   rule (team, manager chain, past pairs; ranked preferences are added apart,
   with their bonus).
5. Why no pair that should be kept is missed: a pair left untaken is either in
   a class below the last bound (its score is below the last bound, which the
   k taken people reach or pass) or after the prefix of a class at that bound
   (same score at most, later in the tie-break). For each person the generator
   computes the best key anything untaken could have and checks that the
   k-th best eligible pair it took beats it; if not (the margin was eaten by
   ineligible pairs), that person takes every class whole. So each person's
   k best are exactly those an exhaustive scan with the same ranking finds:
   tests/mentorship/test_scoring_candidates.py compares the candidates, the
   scores, the funnel counts, the assignment and its explanations with a
   dense integer reference on generated cycles (ties everywhere included).
   The work follows the pairs taken (about k plus the classes at the last
   bound per person), not mentees x mentors.
6. A mentor's table does not even list every mentee who could be a
   candidate: mentees are counted by goal profile (the same goals with the
   same weights: a few thousand whatever the size of the cycle), and a
   table keeps only those whose goal points with the mentor's teaching reach
   a floor (groups.floor): the highest floor that still leaves twice k plus
   the margin mentees with two points more than the floor. Anyone left out
   has at most floor - 1 points, three fewer; three goal points (72
   eighths) outweigh all the rest of a score (a full day's overlap and the
   cross-team bonus, 48 at most), so those mentees outscore anyone left out.
   What was left out counts as one more untaken class with that bound
   (Classes.rest8), checked like the others; a mentor whose k-th best
   kept pair does not beat it (their best were on their own team, say) is
   done again with every mentee. A mentee's table keeps every mentor: a
   mentee's points with mentors take a handful of values, each shared by
   thousands of mentors, so a floor would leave out next to nobody.

Compared with the float32 scan it replaced (a matrix product whose last bit
depended on the block shapes BLAS was given), the candidate set changed only
at ties: float32 could not tell apart tie-break values closer than its
precision, so a person kept every pair whose float equalled their k-th best
(sometimes more than k) and chose among equal scores by rounding. On the
benchmark generator the 1,000-mentee cycle has the same 49,827 candidates;
the 10,000-mentee one has 525,612 instead of 525,672, the 60 dropped pairs
all scoring exactly their mentee's or mentor's k-th best, with the same
matched count and total score.

The score (higher is better) adds up, with the weights below:

- for each of the mentee's goals the mentor teaches, GOAL_WEIGHT x (1 + gap),
  the gap being 4 - the manager's rating on the latest finalised assessment
  (UNRATED_GAP when unrated), so bigger gaps count more;
- PREFERENCE_BONUS by the rank the mentee gave the mentor;
- CROSS_TEAM_BONUS when the two are on different teams;
- OVERLAP_HOUR_WEIGHT per hour the two working days (WORKDAY, local time) overlap.
"""

from .cycle import CycleScoring, score_cycle
from .indexes import Block
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
