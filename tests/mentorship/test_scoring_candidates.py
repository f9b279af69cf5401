"""The candidate generation against an exhaustive reference (scoring_reference.py):
on generated cycles, the same candidate edges, the same scores, the same funnel
counts (which every unmatched reason is made of), so the same assignment and
explanations."""

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

from mentorship.matching import solve_arrays
from mentorship.models import Role, RotationCycle
from mentorship.scoring import candidates, groups, weights
from mentorship.scoring.cycle import CycleScoring
from mentorship.selectors.match_inputs import MatchInputs, Participant, match_inputs
from tests.mentorship.scoring_reference import exhaustive_candidates

LEVELS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4, "L5": 5, "M1": 5, "M2": 6}
CODES = [f"c{k:02d}" for k in range(12)]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"]


def generated_inputs(seed: int, mentees: int = 150, mentors: int = 80) -> MatchInputs:
    """A cycle with every rule at work: goals and teaching, levels, teams (some
    people in none), manager chains, past pairs, busy and inactive people,
    people without a level, mentors offering nothing, mentees without goals,
    preferences (some for mentors who teach none of their goals)."""
    rng = np.random.default_rng(seed)
    cycle = RotationCycle(
        name=f"Generated {seed}",
        starts_on=dt.date(2026, 12, 7),
        mentor_min_level="L3",
        mentee_min_level="L1",
        mentee_max_level="L3",
        min_level_gap=int(rng.integers(1, 3)),
        require_cross_team=bool(rng.random() < 0.7),
        repeat_window=2,
        max_mentees_per_team=int(rng.integers(3, 10)),
    )
    teams = 8

    def person(k: int, role: str, level: str) -> Participant:
        team = int(rng.integers(teams)) if rng.random() < 0.95 else None
        wants = rng.integers(0, 4) if role == Role.MENTEE else rng.integers(1, 5)
        if role == Role.MENTEE and rng.random() < 0.08:
            wants = 0
        p = Participant(
            signup_id=1000 + k,
            person_id=k,
            name=f"Person {k}",
            role=role,
            capacity=int(rng.integers(0, 4)) if role == Role.MENTOR else 1,
            team_id=None if team is None else 500 + team,
            team_name="" if team is None else f"Team {team}",
            timezone=ZONES[int(rng.integers(len(ZONES)))],
            is_active=bool(rng.random() < 0.98),
            level_code=level,
            level_position=LEVELS[level],
            competencies=sorted(rng.choice(CODES, size=wants, replace=False).tolist()),
            commitments=int(rng.choice([0, 1, 2], p=[0.8, 0.15, 0.05])),
        )
        if rng.random() < 0.02:
            p.level_position, p.level_problem = None, "you have no level on the ladder"
        return p

    mentor_list = [
        person(k, Role.MENTOR, rng.choice(["L3", "L4", "L5", "M1", "M2"])) for k in range(mentors)
    ]
    mentee_list = [
        person(mentors + k, Role.MENTEE, rng.choice(["L1", "L2", "L3"])) for k in range(mentees)
    ]
    manager_of = {
        p.person_id: int(rng.integers(mentors)) for p in mentee_list if rng.random() < 0.5
    }
    manager_of.update({k: int(rng.integers(mentors)) for k in range(mentors) if rng.random() < 0.3})
    manager_of = {k: v for k, v in manager_of.items() if k != v}
    past_pairs = {
        (int(rng.integers(mentors)), mentors + int(rng.integers(mentees)))
        for _ in range(mentees // 3)
    }
    gaps = {
        p.person_id: {c: int(rng.integers(0, 4)) for c in CODES if rng.random() < 0.6}
        for p in mentee_list
        if rng.random() < 0.7
    }
    preferences = []
    for p in mentee_list:
        if rng.random() < 0.3:
            chosen = rng.choice(mentors, size=min(3, mentors), replace=False)
            preferences += [
                (p.signup_id, mentor_list[j].signup_id, rank)
                for rank, j in enumerate(chosen.tolist(), start=1)
            ]
    return MatchInputs(
        cycle=cycle,
        ladder_name="Engineering",
        mentors=mentor_list,
        mentees=mentee_list,
        level_positions=LEVELS,
        competency_names={c: c.upper() for c in CODES},
        manager_of=manager_of,
        past_pairs=past_pairs,
        gaps=gaps,
        preferences=preferences,
        commitment_limit=2,
    )


@pytest.fixture
def few_candidates(monkeypatch):
    """Few candidates per person, so that on a cycle of a hundred people most
    people have more eligible partners than they keep, and ties are common."""
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTEE", 6)
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTOR", 4)


def assert_same_as_the_exhaustive_reference(scoring: CycleScoring) -> None:
    edge_i, edge_j, score8, stages = exhaustive_candidates(scoring)
    assert len(edge_i) > 0
    np.testing.assert_array_equal(scoring.edge_i, edge_i)
    np.testing.assert_array_equal(scoring.edge_j, edge_j)
    np.testing.assert_array_equal(scoring.edge_score, score8 / 8)
    for k, stage in enumerate(stages):
        np.testing.assert_array_equal(scoring.mentee_funnel[:, k], stage.sum(axis=1))
        np.testing.assert_array_equal(scoring.mentor_funnel[:, k], stage.sum(axis=0))
    # The same edges, so the same assignment, explanations and unmatched reasons.
    mine, theirs = solved(scoring, scoring.edge_i, scoring.edge_j), solved(scoring, edge_i, edge_j)
    np.testing.assert_array_equal(mine, theirs)
    rows = np.flatnonzero(mine >= 0)
    assert scoring.explanations(rows, mine[rows]) == [
        scoring.explain(int(scoring.mentor_ids[j]), int(scoring.mentee_ids[i]))
        for i, j in zip(rows, theirs[rows], strict=True)
    ]


def solved(scoring: CycleScoring, edge_i, edge_j):
    scores = scoring._scores(edge_i, edge_j, scoring._cover(edge_i, edge_j))
    group_of, group_cap = scoring.group_arrays()
    return solve_arrays(
        edge_j,
        edge_i,
        scores,
        scoring.capacity_array(),
        group_of=group_of,
        group_cap=group_cap,
        n_mentees=len(scoring.mentees),
    ).mentor_of


@pytest.mark.parametrize("seed", range(8))
def test_candidates_scores_and_funnels_are_those_of_the_exhaustive_reference(few_candidates, seed):
    scoring = CycleScoring(generated_inputs(seed))
    assert_same_as_the_exhaustive_reference(scoring)


@pytest.mark.parametrize("seed", range(3))
def test_one_timezone_and_one_team_make_ties_everywhere(few_candidates, seed):
    """Everyone alike but for goals: whole classes tie, so the prefixes and the
    fallback to whole classes both run."""
    inputs = generated_inputs(seed, mentees=90, mentors=60)
    for p in inputs.mentors + inputs.mentees:
        p.timezone, p.team_id = "Europe/London", 501 if p.team_id is not None else None
    inputs.cycle.require_cross_team = False
    assert_same_as_the_exhaustive_reference(CycleScoring(inputs))


@pytest.mark.parametrize("size", [1, 2, 5])
def test_a_few_people_with_nothing_eligible_or_next_to_nothing(few_candidates, size):
    """The pair-by-hand check scores two sign-ups: no eligible pair is no edge."""
    for seed in range(6):
        scoring = CycleScoring(generated_inputs(seed, mentees=size, mentors=size))
        edge_i, edge_j, score8, _ = exhaustive_candidates(scoring)
        np.testing.assert_array_equal(scoring.edge_i, edge_i)
        np.testing.assert_array_equal(scoring.edge_j, edge_j)
        np.testing.assert_array_equal(scoring.edge_score, score8 / 8)


def test_without_pruning_every_eligible_pair_is_a_candidate(seed=3):
    scoring = CycleScoring(generated_inputs(seed, mentees=60, mentors=40))
    eligible = scoring.block(np.arange(60, dtype=np.int64), np.arange(40, dtype=np.int64)).stages()[
        -1
    ]
    rows, cols = np.nonzero(eligible)
    np.testing.assert_array_equal(scoring.edge_i, rows)
    np.testing.assert_array_equal(scoring.edge_j, cols)


@pytest.mark.django_db
def test_on_the_benchmark_generator_the_candidates_are_those_of_the_reference(few_candidates):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        import match_run as bench
    finally:
        sys.path.pop(0)
    cycle, _, _ = bench.build_organisation(mentees=400, mentors=260, seed=5)
    cycle.refresh_from_db()  # the generator gave its dates as strings
    scoring = CycleScoring(match_inputs(cycle=cycle))
    assert_same_as_the_exhaustive_reference(scoring)


def test_a_mentor_whose_best_mentees_are_all_on_their_own_team_is_done_again(
    few_candidates, monkeypatch
):
    """A mentor's table leaves out mentees too low for their best (a floor on
    goal points); when the best it kept all turn out ineligible (here: the
    mentor's own team, in a cross-team cycle), the mentor is done again with
    every mentee, and the candidates are still exactly the reference's."""
    inputs = generated_inputs(4)
    inputs.cycle.require_cross_team = True
    goals = CODES[:3]
    mentor = inputs.mentors[0]
    mentor.team_id, mentor.competencies, mentor.capacity = 500, goals, 2
    mentor.level_code, mentor.level_position, mentor.level_problem = "M2", LEVELS["M2"], None
    mentor.is_active, mentor.commitments = True, 0
    for mentee in inputs.mentees[:40]:
        mentee.team_id, mentee.competencies = 500, goals
        mentee.level_code, mentee.level_position, mentee.level_problem = "L1", LEVELS["L1"], None
        mentee.is_active, mentee.commitments = True, 0
        inputs.gaps[mentee.person_id] = dict.fromkeys(goals, 3)
    done_again = []

    def recorded(s, enough=0, rows_open=None):
        if rows_open is not None:
            done_again.extend(np.flatnonzero(rows_open).tolist())
        return groups.mentor_groups(s, enough, rows_open)

    monkeypatch.setattr(candidates, "mentor_groups", recorded)
    scoring = CycleScoring(inputs)
    assert 0 in done_again
    assert_same_as_the_exhaustive_reference(scoring)
