"""The pairs that lists name (mentorship/scoring/people.py), against a
straightforward walk over the same data in plain Python: manager chains (loops
and lines deeper than the walk's limit included), past pairs either way round,
ranked preferences. Person and sign-up ids are sparse and unsorted, as a
database gives them."""

import itertools

import numpy as np
import pytest

from mentorship.scoring.people import (
    MAX_CHAIN_DEPTH,
    chain_pairs,
    preference_pairs,
    repeat_pairs,
)


def pairs(listed):
    return list(zip(listed.rows.tolist(), listed.cols.tolist(), strict=True))


def walked_chain_pairs(mentee_people, mentor_people, manager_of):
    """Each mentee's managers, one by one up the line, until it ends, loops or
    reaches the limit."""
    mentor_at = {person: j for j, person in enumerate(mentor_people)}
    found = set()
    for i, person in enumerate(mentee_people):
        seen = set()
        boss = manager_of.get(person)
        while boss is not None and boss not in seen and len(seen) < MAX_CHAIN_DEPTH:
            seen.add(boss)
            if boss in mentor_at:
                found.add((i, mentor_at[boss]))
            boss = manager_of.get(boss)
    return sorted(found)


def an_organisation(seed, people=400):
    """Sparse person ids; mostly a tree, some managers anywhere (loops), some
    people without a manager; a third of the people are mentees, a third mentors."""
    rng = np.random.default_rng(seed)
    ids = (rng.permutation(people) * 7 + 11).tolist()
    manager_of = {}
    for k in range(1, people):
        if rng.random() < 0.95:
            boss = int(rng.integers(0, k)) if rng.random() < 0.9 else int(rng.integers(people))
            manager_of[ids[k]] = ids[boss]
    order = rng.permutation(people).tolist()
    mentees = np.array([ids[k] for k in order[: people // 3]], dtype=np.int64)
    mentors = np.array([ids[k] for k in order[people // 3 : 2 * people // 3]], dtype=np.int64)
    return rng, ids, manager_of, mentees, mentors


@pytest.mark.parametrize("seed", range(6))
def test_the_manager_chain_pairs_are_every_manager_up_each_reporting_line(seed):
    _, _, manager_of, mentees, mentors = an_organisation(seed)
    expected = walked_chain_pairs(mentees.tolist(), mentors.tolist(), manager_of)
    assert len(expected) > 50
    assert pairs(chain_pairs(mentees, mentors, manager_of)) == expected


def test_a_reporting_line_is_walked_up_to_the_limit_and_a_loop_once():
    line = list(range(100, 100 + MAX_CHAIN_DEPTH + 10))  # each managed by the next
    manager_of = dict(itertools.pairwise(line))
    manager_of.update({7: 8, 8: 9, 9: 10, 10: 8})  # a loop above person 7
    mentees = np.array([line[0], 7], dtype=np.int64)
    mentors = np.array([line[MAX_CHAIN_DEPTH + 1], line[MAX_CHAIN_DEPTH], 10, 9], dtype=np.int64)
    # line[1] .. line[MAX_CHAIN_DEPTH] are the first MAX_CHAIN_DEPTH managers up the line.
    assert pairs(chain_pairs(mentees, mentors, manager_of)) == [(0, 1), (1, 2), (1, 3)]


def test_nobody_and_nothing_listed_make_no_pairs():
    none = np.zeros(0, dtype=np.int64)
    assert pairs(chain_pairs(none, none, {})) == []
    assert pairs(chain_pairs(np.array([5]), np.array([6]), {})) == []
    assert pairs(repeat_pairs(none, none, set())) == []
    assert pairs(preference_pairs(none, none, [])) == []


@pytest.mark.parametrize("seed", range(4))
def test_past_pairs_count_either_way_round_with_the_pairs_removed_in_review(seed):
    rng, ids, _, mentees, mentors = an_organisation(seed)
    past = {(int(rng.choice(ids)), int(rng.choice(ids))) for _ in range(300)}
    removed = [(int(rng.integers(len(mentees))), int(rng.integers(len(mentors)))) for _ in range(9)]
    mentee_at = {person: i for i, person in enumerate(mentees.tolist())}
    mentor_at = {person: j for j, person in enumerate(mentors.tolist())}
    expected = set(removed)
    for first, second in past:
        for mentor, mentee in ((first, second), (second, first)):
            if mentee in mentee_at and mentor in mentor_at:
                expected.add((mentee_at[mentee], mentor_at[mentor]))
    listed = repeat_pairs(mentees, mentors, past, also=removed)
    assert len(expected) > 40
    assert pairs(listed) == sorted(expected)


def test_preferences_keep_their_rank_and_skip_sign_ups_not_in_the_cycle():
    rng = np.random.default_rng(3)
    mentee_ids = rng.permutation(200).astype(np.int64) * 5 + 1
    mentor_ids = rng.permutation(90).astype(np.int64) * 5 + 2000
    # Each (mentee, mentor) once; every eleventh mentee id is not in the cycle.
    preferences = [
        (int(mentee_ids[k % 200]) + 3 * (k % 11 == 0), int(mentor_ids[7 * k % 90]), k % 4 + 1)
        for k in range(400)
    ]
    mentee_at = {int(s): i for i, s in enumerate(mentee_ids)}
    mentor_at = {int(s): j for j, s in enumerate(mentor_ids)}
    expected = sorted(
        (mentee_at[mentee], mentor_at[mentor], rank)
        for mentee, mentor, rank in preferences
        if mentee in mentee_at
    )
    listed = preference_pairs(mentee_ids, mentor_ids, preferences)
    assert len(expected) < len(preferences)
    found = list(
        zip(listed.rows.tolist(), listed.cols.tolist(), listed.values.tolist(), strict=True)
    )
    assert found == expected
