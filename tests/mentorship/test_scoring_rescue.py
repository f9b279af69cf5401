"""The rescue (mentorship/scoring/rescue.py) against the rescue it replaced, a
second solve given every eligible pair from a left-out mentee to a mentor with
room: the same number matched and the same total score, and its promise kept
(nobody left out while an eligible mentor has room and their team is under
its cap)."""

import numpy as np
import pytest

from mentorship.matching import solve_arrays
from mentorship.scoring import rescue, weights
from mentorship.scoring.cycle import CycleScoring
from mentorship.scoring.reasons import AVAILABLE
from mentorship.services import matching_run
from tests.mentorship.test_scoring_candidates import generated_inputs


@pytest.fixture
def one_candidate(monkeypatch):
    """One candidate per person: the first solve leaves many out."""
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTEE", 1)
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTOR", 1)


def first_solve(scoring: CycleScoring):
    group_of, group_cap = scoring.group_arrays()
    return solve_arrays(
        scoring.edge_j,
        scoring.edge_i,
        scoring.edge_score,
        scoring.capacity_array(),
        group_of=group_of,
        group_cap=group_cap,
        n_mentees=len(scoring.mentees),
    ).mentor_of


def team_room(scoring: CycleScoring, mentor_of):
    group_of, group_cap = scoring.group_arrays()
    teams = group_of[mentor_of >= 0]
    return group_cap - np.bincount(teams[teams >= 0], minlength=len(group_cap))


def room(scoring: CycleScoring, mentor_of):
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(scoring.mentors))
    return scoring.capacity_array() - load


def eligible(scoring: CycleScoring):
    everyone = scoring.block(
        np.arange(len(scoring.mentees), dtype=np.int64),
        np.arange(len(scoring.mentors), dtype=np.int64),
    )
    return everyone.stages()[AVAILABLE]


def every_pair_rescue(scoring: CycleScoring, mentor_of):
    """The old rescue: every eligible pair from a left-out mentee whose team is
    under its cap to a mentor with room, in one solve."""
    group_of, _ = scoring.group_arrays()
    left = team_room(scoring, mentor_of)
    may_match = np.append(left > 0, True)[group_of]
    pairs = eligible(scoring)
    pairs &= ((mentor_of < 0) & may_match)[:, None]
    pairs &= (room(scoring, mentor_of) > 0)[None, :]
    i, j = np.nonzero(pairs)
    rescued = solve_arrays(
        j,
        i,
        scoring._scores(i, j, scoring._cover(i, j)),
        room(scoring, mentor_of),
        group_of=group_of,
        group_cap=left,
        n_mentees=len(scoring.mentees),
    ).mentor_of
    return np.where(rescued >= 0, rescued, mentor_of)


def matched_and_total(scoring: CycleScoring, mentor_of):
    rows = np.flatnonzero(mentor_of >= 0)
    return len(rows), round(float(scoring.pair_scores(rows, mentor_of[rows]).sum()), 2)


@pytest.mark.parametrize("seed", range(10))
def test_the_rescue_matches_as_many_with_the_same_score_as_one_given_every_pair(
    one_candidate, seed
):
    scoring = CycleScoring(generated_inputs(seed, mentees=120, mentors=70))
    before = first_solve(scoring)

    after = matching_run._solve(scoring, [])

    reference = every_pair_rescue(scoring, before)
    assert matched_and_total(scoring, after) == matched_and_total(scoring, reference)


@pytest.mark.parametrize("seed", range(10))
def test_nobody_is_left_out_while_an_eligible_mentor_has_room(one_candidate, seed):
    scoring = CycleScoring(generated_inputs(seed, mentees=120, mentors=70))

    mentor_of = matching_run._solve(scoring, [])

    group_of, _ = scoring.group_arrays()
    under_cap = np.append(team_room(scoring, mentor_of) > 0, True)[group_of]
    waiting = (mentor_of < 0) & under_cap
    with_room = room(scoring, mentor_of) > 0
    assert not (eligible(scoring) & waiting[:, None] & with_room[None, :]).any()


def test_a_mentee_whose_few_mentors_all_filled_up_is_given_more(one_candidate, monkeypatch):
    """The check fails and the pairs grow on these cycles (each left-out
    mentee starting with one mentor): the path that widens a mentee's mentors
    runs, and the result is still the full rescue's."""
    monkeypatch.setattr(rescue, "START", 1)
    failed = []
    proven = rescue.Rescue.proven

    def counting(self, rescued):
        ok = proven(self, rescued)
        failed.append(not ok)
        return ok

    monkeypatch.setattr(rescue.Rescue, "proven", counting)
    rescued = 0
    for seed in range(10):
        scoring = CycleScoring(generated_inputs(seed, mentees=120, mentors=70))
        before = first_solve(scoring)
        after = matching_run._solve(scoring, [])
        reference = every_pair_rescue(scoring, before)
        assert matched_and_total(scoring, after) == matched_and_total(scoring, reference)
        rescued += int((after >= 0).sum() - (before >= 0).sum())
    assert any(failed)
    assert rescued > 0
