"""The matching engine on plain data: examples, bad input, determinism, properties
against independent exact solvers, and the OR-Library instances."""

import itertools
import math
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from mentorship.matching import MatchingError, solve, solve_arrays, solve_with_stats

# The suite's autouse fixtures (cache, password hashers) do not touch the engine.
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def total(edges, pairs):
    score = {(mentor, mentee): s for mentor, mentee, s in edges}
    return sum(score[mentor, mentee] for mentee, mentor in pairs.items())


def assert_feasible(edges, capacity, pairs, group_of=None, group_cap=None, locked=()):
    eligible = {(mentor, mentee) for mentor, mentee, _ in edges}
    assert all((mentor, mentee) in eligible for mentee, mentor in pairs.items())
    for mentor, taken in Counter(pairs.values()).items():
        assert taken <= capacity[mentor]
    groups = Counter((group_of or {}).get(mentee) for mentee in pairs)
    for group, cap in (group_cap or {}).items():
        assert groups[group] <= cap
    for mentor, mentee in locked:
        assert pairs[mentee] == mentor


def as_arrays(edges, capacity, group_of=None, group_cap=None, locked=()):
    """The same instance as index arrays (ids numbered in sorted order) and the
    ids back, as the match run would build them."""
    mentors = sorted(capacity)
    mentees = sorted({mentee for _, mentee, _ in edges} | set(group_of or {}))
    groups = sorted(group_cap or {})
    mi = {m: i for i, m in enumerate(mentors)}
    ei = {e: j for j, e in enumerate(mentees)}
    gi = {g: k for k, g in enumerate(groups)}
    arrays = {
        "mentors": np.array([mi[m] for m, _, _ in edges], dtype=np.int64),
        "mentees": np.array([ei[e] for _, e, _ in edges], dtype=np.int64),
        "scores": np.array([s for _, _, s in edges]),
        "capacity": np.array([capacity[m] for m in mentors], dtype=np.int64),
        "n_mentees": len(mentees),
    }
    if group_cap is not None:
        arrays["group_of"] = np.array(
            [gi.get((group_of or {}).get(e), -1) for e in mentees], dtype=np.int64
        )
        arrays["group_cap"] = np.array([group_cap[g] for g in groups], dtype=np.int64)
    if locked:
        arrays["locked"] = np.array([(mi[m], ei[e]) for m, e in locked], dtype=np.int64)
    return arrays, mentors, mentees


def pairs_of(result, mentors, mentees):
    return {mentees[j]: mentors[i] for j, i in enumerate(result.mentor_of.tolist()) if i >= 0}


def call(arrays):
    arrays = dict(arrays)
    return solve_arrays(
        arrays.pop("mentors"),
        arrays.pop("mentees"),
        arrays.pop("scores"),
        arrays.pop("capacity"),
        **arrays,
    )


# Examples


def test_it_matches_no_one_without_edges():
    assert solve([], {}) == {}
    assert solve([], {"ada": 2}) == {}


def test_it_matches_a_single_eligible_pair():
    assert solve([("ada", "ben", 7)], {"ada": 1}) == {"ben": "ada"}


def test_a_mentor_with_capacity_zero_takes_no_one():
    assert solve([("ada", "ben", 7)], {"ada": 0}) == {}


def test_a_mentor_takes_as_many_mentees_as_their_capacity_the_best_first():
    edges = [("ada", "ben", 5), ("ada", "cy", 9), ("ada", "dan", 7)]
    assert solve(edges, {"ada": 2}) == {"cy": "ada", "dan": "ada"}


def test_it_prefers_more_mentees_matched_over_a_higher_score():
    # Best score first would give x to A (100) and leave y with no one.
    edges = [("A", "x", 100), ("B", "x", 1), ("A", "y", 1)]
    result = solve_with_stats(edges, {"A": 1, "B": 1})
    assert result.pairs == {"x": "B", "y": "A"}
    assert (result.matched, result.total_score) == (2, 2)


def test_it_matches_a_mentee_even_when_their_only_pair_scores_below_zero():
    assert solve([("A", "x", -5), ("A", "y", 3)], {"A": 2}) == {"x": "A", "y": "A"}


def test_among_equally_many_matches_it_takes_the_largest_total_score():
    edges = [("A", "x", 10), ("A", "y", 9), ("B", "x", 8), ("B", "y", 1)]
    # x->A, y->B scores 11; x->B, y->A scores 17.
    assert solve(edges, {"A": 1, "B": 1}) == {"x": "B", "y": "A"}


def test_a_group_cap_limits_how_many_mentees_of_the_group_are_matched():
    edges = [("A", "x", 10), ("A", "y", 9), ("A", "z", 1)]
    group_of = {"x": "payments", "y": "payments", "z": "search"}
    pairs = solve(edges, {"A": 3}, group_of=group_of, group_cap={"payments": 1})
    assert pairs == {"x": "A", "z": "A"}


def test_a_group_not_named_in_the_caps_is_not_capped():
    edges = [("A", "x", 10), ("A", "y", 9)]
    pairs = solve(edges, {"A": 2}, group_of={"x": "search", "y": "search"}, group_cap={"hr": 0})
    assert pairs == {"x": "A", "y": "A"}


def test_a_group_cap_of_zero_matches_no_one_of_the_group():
    edges = [("A", "x", 10), ("B", "y", 9)]
    pairs = solve(edges, {"A": 1, "B": 1}, group_of={"x": 0, "y": 1}, group_cap={0: 0})
    assert pairs == {"y": "B"}


def test_a_group_cap_steers_mentors_to_other_groups_rather_than_lose_a_match():
    # Without the cap: x->A and y->B (score 20). With payments capped at 1 only one
    # of them may be matched, and z takes the other's mentor so two are still matched.
    edges = [("A", "x", 10), ("B", "y", 10), ("B", "z", 1)]
    group_of = {"x": "payments", "y": "payments", "z": "search"}
    result = solve_with_stats(edges, {"A": 1, "B": 1}, group_of=group_of, group_cap={"payments": 1})
    assert result.pairs == {"x": "A", "z": "B"}
    assert result.total_score == 11


def test_locked_pairs_are_kept_even_when_the_optimum_would_drop_them():
    edges = [("A", "x", 100), ("B", "x", 1), ("A", "y", 1)]
    assert solve(edges, {"A": 1, "B": 1}, locked=[("A", "x")]) == {"x": "A"}


def test_a_locked_pair_uses_up_its_mentors_capacity():
    edges = [("A", "x", 1), ("A", "y", 50), ("A", "z", 40)]
    assert solve(edges, {"A": 2}, locked=[("A", "x")]) == {"x": "A", "y": "A"}


def test_a_locked_pair_counts_towards_its_groups_cap():
    edges = [("A", "x", 1), ("B", "y", 50)]
    pairs = solve(
        edges,
        {"A": 1, "B": 1},
        group_of={"x": "t", "y": "t"},
        group_cap={"t": 1},
        locked=[("A", "x")],
    )
    assert pairs == {"x": "A"}


def test_locking_the_same_pair_twice_counts_once():
    assert solve([("A", "x", 1)], {"A": 1}, locked=[("A", "x"), ("A", "x")]) == {"x": "A"}


def test_float_scores_are_told_apart_to_six_decimal_places():
    edges = [("A", "x", 0.100002), ("A", "y", 0.100001), ("B", "x", 0.1), ("B", "y", 0.1)]
    result = solve_with_stats(edges, {"A": 1, "B": 1})
    assert result.pairs == {"x": "A", "y": "B"}
    assert result.total_score == pytest.approx(0.200002, abs=1e-12)


def test_integer_scores_stay_exact_however_large():
    edges = [("A", "x", 10**12 + 1), ("A", "y", 10**12), ("B", "y", 0), ("B", "x", 0)]
    result = solve_with_stats(edges, {"A": 1, "B": 1})
    assert result.pairs == {"x": "A", "y": "B"}
    assert result.total_score == 10**12 + 1
    assert isinstance(result.total_score, int)


def test_decimal_and_numpy_scores_are_accepted():
    edges = [("A", "x", Decimal("2.5")), ("A", "y", np.int64(3)), ("B", "x", np.float64(1.5))]
    assert solve(edges, {"A": 1, "B": 1}) == {"x": "B", "y": "A"}


def test_ids_may_be_ints_strings_or_both():
    edges = [(1, "x", 3), ("one", 2, 5), (1, 2, 4)]
    assert solve(edges, {1: 1, "one": 1}) == {"x": 1, 2: "one"}


def test_the_stats_count_the_matches_and_the_score():
    result = solve_with_stats([("A", "x", 3), ("A", "y", 4), ("B", "y", 1)], {"A": 1, "B": 1})
    assert result.pairs == {"x": "A", "y": "B"}
    assert (result.matched, result.total_score) == (2, 4)
    assert result.seconds >= 0


# Bad input


@pytest.mark.parametrize(
    ("edges", "capacity", "options", "message"),
    [
        ([("A", "x", 1)], {"A": -1}, {}, "capacity of mentor 'A' is negative (-1)"),
        ([("A", "x", 1)], {"A": 1.5}, {}, "capacity of mentor 'A' must be an int, got 1.5"),
        ([("A", "x", 1), ("B", "x", 1)], {"A": 1}, {}, "mentor(s) 'B' have edges but no capacity"),
        ([("A", "x", math.nan)], {"A": 1}, {}, "score of edge ('A', 'x') is not finite: nan"),
        ([("A", "x", 1), ("A", "y", -math.inf)], {"A": 1}, {}, "('A', 'y') is not finite: -inf"),
        ([("A", "x", "high")], {"A": 1}, {}, "score of edge ('A', 'x') is not a number: 'high'"),
        ([("A", "x", None)], {"A": 1}, {}, "score of edge ('A', 'x') is not a number: None"),
        ([("A", "x", 1), ("A", "x", 2)], {"A": 1}, {}, "duplicate edge: ('A', 'x')"),
        ([("A", "x")], {"A": 1}, {}, "each edge must be a (mentor, mentee, score) triple"),
        ([(["A"], "x", 1)], {"A": 1}, {}, "mentor ids must be hashable"),
        ([("A", "x", 1)], {"A": 1}, {"locked": [("B", "x")]}, "('B', 'x') is not an edge"),
        ([("A", "x", 1)], {"A": 1}, {"locked": [("A", "y")]}, "('A', 'y') is not an edge"),
        (
            [("A", "x", 1), ("B", "x", 1)],
            {"A": 1, "B": 1},
            {"locked": [("A", "x"), ("B", "x")]},
            "mentee 'x' is locked to two mentors: 'A' and 'B'",
        ),
        (
            [("A", "x", 1), ("A", "y", 1)],
            {"A": 1},
            {"locked": [("A", "x"), ("A", "y")]},
            "mentor 'A' has 2 locked mentees but capacity 1",
        ),
        (
            [("A", "x", 1), ("B", "y", 1)],
            {"A": 1, "B": 1},
            {
                "group_of": {"x": "red", "y": "red"},
                "group_cap": {"red": 1},
                "locked": [("A", "x"), ("B", "y")],
            },
            "group 'red' has 2 locked mentees but its cap is 1",
        ),
        (
            [("A", "x", 1)],
            {"A": 1},
            {"group_of": {"x": "red"}, "group_cap": {"red": -2}},
            "group_cap of group 'red' is negative (-2)",
        ),
        ([("A", "x", 2**62), ("A", "y", -(2**62))], {"A": 1}, {}, "too wide a range"),
        ([("A", "x", 1e300)], {"A": 1}, {}, "too large to solve exactly"),
    ],
)
def test_it_refuses_bad_input_saying_what_is_wrong(edges, capacity, options, message):
    with pytest.raises(MatchingError, match=re.escape(message)):
        solve(edges, capacity, **options)


def test_a_matching_error_is_a_value_error():
    with pytest.raises(ValueError):
        solve([("A", "x", 1)], {"A": -1})


# Determinism


def test_the_same_input_in_any_order_gives_the_same_result():
    rng = random.Random(4)
    # Many ties: every score is 0, 1 or 2, so many optima exist.
    edges = [
        (f"mentor-{m}", e, rng.choice([0, 1, 2]))
        for e in range(60)
        for m in rng.sample(range(25), 6)
    ]
    capacity = {f"mentor-{m}": rng.randint(0, 3) for m in range(25)}
    group_of = {e: e % 4 for e in range(60)}
    options = {"group_of": group_of, "group_cap": {0: 8, 1: 5}, "locked": [edges[0][:2]]}
    first = solve(edges, capacity, **options)
    for _ in range(5):
        shuffled = rng.sample(edges, len(edges))
        capacity_shuffled = dict(rng.sample(sorted(capacity.items()), len(capacity)))
        again = solve(shuffled, capacity_shuffled, **options)
        assert list(again.items()) == list(first.items())


# Properties against independent exact solvers


@st.composite
def instances(draw, max_mentees=7, max_mentors=4, floats=False):
    mentees = list(range(draw(st.integers(0, max_mentees))))
    mentors = [f"m{i}" for i in range(draw(st.integers(1, max_mentors)))]
    capacity = {mentor: draw(st.integers(0, 3)) for mentor in mentors}
    scores = (
        st.floats(-50, 50, allow_nan=False, allow_infinity=False)
        if floats
        else st.integers(-20, 50)
    )
    pairs = [(mentor, mentee) for mentor in mentors for mentee in mentees]
    eligible = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    edges = [(mentor, mentee, draw(scores)) for mentor, mentee in eligible]
    return edges, capacity


def optimum_by_assignment(edges, capacity):
    """Most matched, then best score, by SciPy's LAPJV on mentor slots (one column
    per unit of capacity); a big weight per eligible pair puts the count first."""
    mentees = sorted({mentee for _, mentee, _ in edges})
    slots = [mentor for mentor in sorted(capacity) for _ in range(capacity[mentor])]
    if not mentees or not slots:
        return 0, 0
    largest = max(abs(score) for _, _, score in edges)
    big = (2 * len(mentees) + 2) * (largest + 1)
    weight = np.zeros((len(mentees), len(slots)))
    eligible = np.zeros_like(weight, dtype=bool)
    score = {(mentor, mentee): s for mentor, mentee, s in edges}
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(slots):
            if (mentor, mentee) in score:
                weight[i, j] = big + score[mentor, mentee]
                eligible[i, j] = True
    rows, cols = linear_sum_assignment(weight, maximize=True)
    kept = eligible[rows, cols]
    matched = int(kept.sum())
    return matched, sum(
        score[slots[j], mentees[i]] for i, j in zip(rows[kept], cols[kept], strict=True)
    )


def optimum_by_brute_force(edges, capacity, group_of, group_cap, locked):
    """Every assignment, each mentee to one of its mentors or to no one; None if the
    locked pairs cannot all hold."""
    options: dict = {}
    for mentor, mentee, score in edges:
        options.setdefault(mentee, [None]).append((mentor, score))
    best = None
    for choice in itertools.product(*options.values()):
        picked = {
            mentee: option
            for mentee, option in zip(options, choice, strict=True)
            if option is not None
        }
        if any(picked.get(mentee, (None,))[0] != mentor for mentor, mentee in locked):
            continue
        if any(n > capacity[m] for m, n in Counter(o[0] for o in picked.values()).items()):
            continue
        groups = Counter(group_of.get(mentee) for mentee in picked)
        if any(groups[group] > cap for group, cap in group_cap.items()):
            continue
        value = (len(picked), sum(o[1] for o in picked.values()))
        best = value if best is None or value > best else best
    return best


def solved_by_ids(edges, capacity, **options):
    result = solve_with_stats(edges, capacity, **options)
    return result.matched, result.total_score, result.pairs


def solved_by_arrays(edges, capacity, **options):
    arrays, mentors, mentees = as_arrays(edges, capacity, **options)
    result = call(arrays)
    return result.matched, result.total_score, pairs_of(result, mentors, mentees)


# Each property holds for both entry points: ``solve`` on ids, ``solve_arrays``
# on the index arrays the match run builds.
BOTH_ENTRY_POINTS = pytest.mark.parametrize(
    "solved", [solved_by_ids, solved_by_arrays], ids=["solve", "solve_arrays"]
)


@BOTH_ENTRY_POINTS
@PROPERTY
@given(instance=instances())
def test_it_matches_as_many_and_scores_as_high_as_scipys_assignment(solved, instance):
    edges, capacity = instance
    matched, score, pairs = solved(edges, capacity)
    assert_feasible(edges, capacity, pairs)
    assert (matched, score) == optimum_by_assignment(edges, capacity)


@BOTH_ENTRY_POINTS
@PROPERTY
@given(instance=instances(floats=True))
def test_with_float_scores_it_is_optimal_to_the_sixth_decimal(solved, instance):
    edges, capacity = instance
    matched, score, pairs = solved(edges, capacity)
    assert_feasible(edges, capacity, pairs)
    most, best = optimum_by_assignment(edges, capacity)
    assert matched == most
    assert score == pytest.approx(best, abs=1e-6 * (most + 1))


@BOTH_ENTRY_POINTS
@PROPERTY
@given(instance=instances(max_mentees=5, max_mentors=3), data=st.data())
def test_with_group_caps_and_locks_it_finds_the_brute_force_optimum(solved, instance, data):
    edges, capacity = instance
    mentees = sorted({mentee for _, mentee, _ in edges})
    group_of = {mentee: data.draw(st.sampled_from("abc")) for mentee in mentees}
    group_cap = data.draw(st.dictionaries(st.sampled_from("ab"), st.integers(0, 3)))
    pairs = [(mentor, mentee) for mentor, mentee, _ in edges]
    locked = data.draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else []
    best = optimum_by_brute_force(edges, capacity, group_of, group_cap, locked)
    options = {"group_of": group_of, "group_cap": group_cap, "locked": locked}
    if best is None:
        with pytest.raises(MatchingError, match="locked"):
            solved(edges, capacity, **options)
        return
    matched, score, pairs = solved(edges, capacity, **options)
    assert_feasible(edges, capacity, pairs, **options)
    assert (matched, score) == best
    # Tied assignments are chosen alike when both entry points see the same
    # people: as_arrays also numbers mentors without edges, as the match run
    # does, and solve never sees them (OR-Tools breaks ties by its network).
    if {mentor for mentor, _, _ in edges} == set(capacity):
        assert pairs == solve(edges, capacity, **options)


@PROPERTY
@given(instances(), st.randoms(use_true_random=False))
def test_shuffling_the_input_never_changes_the_result(instance, rng):
    edges, capacity = instance
    shuffled = rng.sample(edges, len(edges))
    assert list(solve(shuffled, capacity).items()) == list(solve(edges, capacity).items())


# The array entry point


def test_solve_arrays_returns_a_mentor_per_mentee_and_minus_one_for_the_unmatched():
    result = solve_arrays(
        np.array([0, 0, 1]),
        np.array([0, 1, 1]),
        np.array([3, 4, 1]),
        np.array([1, 1]),
        n_mentees=3,
    )
    assert result.mentor_of.tolist() == [0, 1, -1]
    assert result.mentor_of.dtype == np.int64
    assert result.pair_of.tolist() == [0, 2, -1]
    assert (result.matched, result.total_score) == (2, 4)


def test_solve_arrays_accepts_locks_as_positions_or_as_index_pairs():
    arrays = {
        "mentors": np.array([0, 0, 1]),
        "mentees": np.array([0, 1, 1]),
        "scores": np.array([3.5, 4.25, 1.0]),
        "capacity": np.array([1, 1]),
    }
    by_position = call({**arrays, "locked": np.array([1])})
    by_pair = call({**arrays, "locked": np.array([[0, 1]])})
    assert by_position.mentor_of.tolist() == by_pair.mentor_of.tolist() == [-1, 0]
    assert by_pair.total_score == 4.25


def test_solve_arrays_scales_quarter_scores_exactly():
    # Quarters are scaled by 4, not rounded to micro-units: totals stay exact.
    rng = np.random.default_rng(1)
    mentees = np.repeat(np.arange(200), 5)
    mentors = (mentees + rng.integers(0, 50, mentees.size)) % 120
    keys = np.unique(mentees * 120 + mentors)
    scores = rng.integers(0, 400, keys.size) / 4
    result = solve_arrays(keys % 120, keys // 120, scores, np.full(120, 2))
    as_ints = solve_arrays(keys % 120, keys // 120, (scores * 4).astype(np.int64), np.full(120, 2))
    assert result.total_score * 4 == as_ints.total_score
    assert result.matched == as_ints.matched


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"capacity": [1, -1]}, "capacity of mentor 1 is negative (-1)"),
        ({"mentors": [0, 2]}, "mentor index 2 is out of range (capacity has 2)"),
        ({"mentees": [0, -1]}, "mentee index -1 is out of range"),
        ({"scores": [1.0, math.nan]}, "score of edge (1, 1) is not finite: nan"),
        ({"scores": [1, 2, 3]}, "1-D arrays of the same length"),
        ({"mentors": [0.5, 1]}, "mentors must be a 1-D array of integer indices"),
        ({"mentors": [1, 1], "mentees": [0, 0]}, "duplicate edge: (1, 0)"),
        ({"locked": [[1, 0]]}, "locked pair (1, 0) is not an edge"),
        ({"locked": [5]}, "locked pair position index 5 is out of range"),
        ({"mentors": [0, 1], "mentees": [0, 0], "locked": [0, 1]}, "mentee 0 is locked"),
        (
            {"mentors": [0, 0], "capacity": [1, 1], "locked": [0, 1]},
            "mentor 0 has 2 locked mentees but capacity 1",
        ),
        (
            {"group_of": [0, 0], "group_cap": [1], "locked": [0, 1]},
            "group 0 has 2 locked mentees but its cap is 1",
        ),
        ({"group_of": [0, 3], "group_cap": [1]}, "group index 3 is out of range"),
        ({"group_of": [0], "group_cap": [1]}, "group_of has 1 entries for 2 mentees"),
    ],
)
def test_solve_arrays_refuses_bad_input_saying_what_is_wrong(arrays, message):
    given = {
        "mentors": [0, 1],
        "mentees": [0, 1],
        "scores": [1, 2],
        "capacity": [1, 1],
        "n_mentees": 2,
    }
    given.update(arrays)
    with pytest.raises(MatchingError, match=re.escape(message)):
        call(
            {
                key: np.asarray(value) if key != "n_mentees" else value
                for key, value in given.items()
            }
        )


@PROPERTY
@given(instances())
def test_solve_arrays_gives_what_solve_gives(instance):
    edges, capacity = instance
    arrays, mentors, mentees = as_arrays(edges, capacity)
    result = call(arrays)
    expected = solve_with_stats(edges, capacity)
    # Both optimal on the same instance; where several assignments tie, which
    # one each returns depends on the order its indices were numbered in.
    assert (result.matched, result.total_score) == (expected.matched, expected.total_score)
    assert_feasible(edges, capacity, pairs_of(result, mentors, mentees))


@PROPERTY
@given(instances(), st.randoms(use_true_random=False))
def test_solve_arrays_gives_the_same_result_for_the_pairs_in_any_order(instance, rng):
    edges, capacity = instance
    arrays, _, _ = as_arrays(edges, capacity)
    order = np.array(rng.sample(range(len(edges)), len(edges)), dtype=np.int64)
    shuffled = dict(arrays)
    for key in ("mentors", "mentees", "scores"):
        shuffled[key] = arrays[key][order] if len(edges) else arrays[key]
    first, again = call(arrays), call(shuffled)
    assert again.mentor_of.tolist() == first.mentor_of.tolist()
    if len(edges):
        assert (order[again.pair_of[again.pair_of >= 0]] == first.pair_of[first.pair_of >= 0]).all()


# Published instances


def read_orlib(path: Path) -> tuple[int, list[tuple[int, int, int]]]:
    """OR-Library assignment costs as edges (column, row, -cost): the rows are mentees,
    the columns mentors of capacity 1, and the least cost is the highest score."""
    numbers = [int(x) for x in path.read_text().split()]
    n = numbers[0]
    if path.name.startswith("assignp"):
        triples = zip(*[iter(numbers[1:])] * 3, strict=True)
        return n, [(col, row, -cost) for row, col, cost in triples]
    costs = numbers[1:]
    assert len(costs) == n * n
    return n, [(col + 1, row + 1, -costs[row * n + col]) for row in range(n) for col in range(n)]


def published_optima(shared_data: Path) -> dict[str, int]:
    lines = (shared_data / "orlib" / "optima.txt").read_text().splitlines()[1:]
    return {name: int(value) for name, value in (line.split() for line in lines if line.strip())}


@pytest.mark.parametrize("name", ["assign100", "assign200", "assignp800"])
def test_it_finds_the_published_optimum_of_the_or_library_instances(shared_data, name):
    n, edges = read_orlib(shared_data / "orlib" / f"{name}.txt")
    result = solve_with_stats(edges, dict.fromkeys(range(1, n + 1), 1))
    assert result.matched == n
    assert -result.total_score == published_optima(shared_data)[name]
