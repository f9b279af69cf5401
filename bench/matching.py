"""Benchmark of the matching engine (the mentorship/matching/ package): the OR-Library
assignment instances against their published optima, then a realistic generated
rotation, solved by the engine (solve_arrays on index arrays, and solve on id
tuples), by the bare OR-Tools solver fed the same arrays, and by a greedy pass.

    .venv/bin/python bench/matching.py [--sizes 10000,50000] [--seed 7] [--skip-orlib]

Times are CPU seconds of this process (medians of 3, interleaved): on a
machine shared with other work, wall time measures the neighbours. Each exact
solver also runs once in a forked child, so that its peak RSS is its own (the
instance, inherited, plus what the solver builds).

Reads the OR-Library files from $SHARED_DATA_DIR or ../shared/data. Not a test:
it prints figures. Seeds are fixed, so two runs print the same scores.
"""

import argparse
import math
import multiprocessing
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from ortools.graph.python import min_cost_flow

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mentorship.matching import solve_arrays, solve_with_stats

TEAMS = 40
COMPETENCIES = 12
RUNS = 3


def shared_data_dir() -> Path:
    configured = os.environ.get("SHARED_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def read_orlib(path: Path) -> tuple[int, list[tuple[int, int, int]]]:
    """(n, [(column, row, -cost)]): rows are mentees, columns mentors of capacity 1."""
    numbers = path.read_text().split()
    n = int(numbers[0])
    values = np.asarray(numbers[1:], dtype=np.int64)
    if path.name.startswith("assignp"):
        triples = values.reshape(-1, 3)
        rows, cols, costs = triples[:, 0], triples[:, 1], triples[:, 2]
    else:
        rows, cols = np.divmod(np.arange(n * n), n)
        rows, cols, costs = rows + 1, cols + 1, values
    return n, list(zip(cols.tolist(), rows.tolist(), (-costs).tolist(), strict=True))


def read_optima(path: Path) -> dict[str, int]:
    optima = {}
    for line in path.read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2:
            optima[parts[0]] = int(parts[1])
    return optima


def bench_orlib(data: Path) -> None:
    print("== OR-Library assignment instances (every mentor capacity 1; cost = -score)")
    optima = read_optima(data / "optima.txt")
    print(f"{'instance':<12} {'n':>5} {'edges':>8} {'our cost':>9} {'optimum':>8} equal  seconds")
    for name in sorted(optima, key=lambda x: (x.startswith("assignp"), int(x.strip("asignp")))):
        n, edges = read_orlib(data / f"{name}.txt")
        result = solve_with_stats(edges, dict.fromkeys(range(1, n + 1), 1))
        cost = -result.total_score
        equal = "yes" if cost == optima[name] and result.matched == n else "NO"
        print(
            f"{name:<12} {n:>5} {len(edges):>8} {cost:>9} {optima[name]:>8} {equal:<5} "
            f"{result.seconds:>7.3f}"
        )


def rotation(mentees: int, mentors: int, seed: int):
    """A generated rotation: ~50 eligible mentors per mentee, drawn with a skewed
    popularity (some mentors are in demand), scores 0..100 from goals covered
    (weighted by the gap), crossing teams, timezone overlap and preference rank;
    capacities 1-3; 40 teams of uneven size, each capped at 1.2x the average team."""
    rng = np.random.default_rng(seed)
    team_share = rng.dirichlet(np.full(TEAMS, 3.0))  # teams of uneven size
    mentee_team = rng.choice(TEAMS, size=mentees, p=team_share)
    mentor_team = rng.choice(TEAMS, size=mentors, p=team_share)
    mentee_tz = rng.integers(-8, 10, mentees)
    mentor_tz = rng.integers(-8, 10, mentors)
    gaps = rng.integers(0, 4, (mentees, COMPETENCIES)) * (rng.random((mentees, COMPETENCIES)) < 0.3)
    teaches = rng.random((mentors, COMPETENCIES)) < 0.35
    popularity = rng.lognormal(0.0, 1.0, mentors)
    popularity /= popularity.sum()

    per_mentee = 50
    mentee_col = np.repeat(np.arange(mentees), per_mentee)
    mentor_col = rng.choice(mentors, size=mentee_col.size, p=popularity)
    keys = np.unique(mentee_col * mentors + mentor_col)
    mentee_col, mentor_col = keys // mentors, keys % mentors

    gap = gaps[mentee_col]
    covered = (gap * teaches[mentor_col]).sum(axis=1) / np.maximum(gap.sum(axis=1), 1)
    cross_team = mentee_team[mentee_col] != mentor_team[mentor_col]
    overlap = 1.0 - np.minimum(np.abs(mentee_tz[mentee_col] - mentor_tz[mentor_col]), 8) / 8
    preferred = rng.random(keys.size) < 0.05
    score = 55 * covered + 15 * cross_team + 20 * overlap + 10 * preferred
    score = np.clip(np.rint(score + rng.normal(0, 3, keys.size)), 0, 100).astype(np.int64)

    capacity = rng.integers(1, 4, mentors)
    # No team may send more than 1.2x the average team's mentees: caps bind on big teams.
    group_cap = {f"team-{t}": math.ceil(1.2 * mentees / TEAMS) for t in range(TEAMS)}
    return {
        "mentor": mentor_col,
        "mentee": mentee_col,
        "score": score,
        "capacity": capacity,
        "mentee_team": mentee_team,
        "group_cap": group_cap,
    }


def bare_ortools(instance) -> tuple[float, int, int]:
    """The same network fed straight from arrays to OR-Tools: the floor for the engine."""
    started = time.process_time()
    mentee, mentor, score = instance["mentee"], instance["mentor"], instance["score"]
    n_mentees, n_mentors = instance["mentee_team"].size, instance["capacity"].size
    first_mentee, first_mentor = 2 + TEAMS, 2 + TEAMS + n_mentees
    caps = [instance["group_cap"][f"team-{t}"] for t in range(TEAMS)]
    tails = np.concatenate(
        [
            first_mentee + mentee,
            np.zeros(TEAMS),
            2 + instance["mentee_team"],
            first_mentor + np.arange(n_mentors),
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [
            first_mentor + mentor,
            2 + np.arange(TEAMS),
            first_mentee + np.arange(n_mentees),
            np.ones(n_mentors),
        ]
    ).astype(np.int32)
    capacities = np.concatenate(
        [np.ones(mentee.size), caps, np.ones(n_mentees), instance["capacity"]]
    ).astype(np.int64)
    costs = np.concatenate([score.max() - score, np.zeros(TEAMS + n_mentees + n_mentors)])
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs.astype(np.int64))
    network.set_node_supply(0, n_mentees)
    network.set_node_supply(1, -n_mentees)
    status = network.solve_max_flow_with_min_cost()
    assert status == network.OPTIMAL, status
    flows = np.asarray(network.flows(np.arange(mentee.size, dtype=np.int32)))
    matched = int(flows.sum())
    return time.process_time() - started, matched, int(score[flows > 0].sum())


def engine_arrays(instance) -> tuple[float, int, int]:
    """solve_arrays on the instance's own arrays: what the match run does."""
    started = time.process_time()
    caps = np.array([instance["group_cap"][f"team-{t}"] for t in range(TEAMS)], dtype=np.int64)
    result = solve_arrays(
        instance["mentor"],
        instance["mentee"],
        instance["score"],
        instance["capacity"],
        group_of=instance["mentee_team"],
        group_cap=caps,
    )
    return time.process_time() - started, result.matched, int(result.total_score)


def _in_child(solver, instance, pipe) -> None:
    seconds, matched, score = solver(instance)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send((seconds, matched, score, peak))


def peak_rss(solver, instance) -> float:
    """Peak RSS (MB) of a forked child that builds and solves the instance once."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_in_child, args=(solver, instance, child))
    process.start()
    figures = parent.recv()
    process.join()
    return figures[3]


def greedy(instance) -> tuple[float, int, int]:
    """Best score first, take a pair if the mentee is free, the mentor has room and
    the team is under its cap."""
    started = time.process_time()
    order = np.argsort(-instance["score"], kind="stable")
    mentee, mentor, score = (instance[k][order].tolist() for k in ("mentee", "mentor", "score"))
    room = instance["capacity"].tolist()
    team = instance["mentee_team"].tolist()
    team_room = [instance["group_cap"][f"team-{t}"] for t in range(TEAMS)]
    taken = [False] * len(team)
    matched = total = 0
    for e, m, s in zip(mentee, mentor, score, strict=True):
        if not taken[e] and room[m] and team_room[team[e]]:
            taken[e] = True
            room[m] -= 1
            team_room[team[e]] -= 1
            matched += 1
            total += s
    return time.process_time() - started, matched, total


def bench_rotation(mentees: int, seed: int) -> None:
    mentors = mentees // 2
    instance = rotation(mentees, mentors, seed)
    print(f"\n== generated rotation: {mentees:,} mentees x {mentors:,} mentors (seed {seed})")
    edges = list(
        zip(
            (f"mentor-{m}" for m in instance["mentor"].tolist()),
            (f"mentee-{e}" for e in instance["mentee"].tolist()),
            instance["score"].tolist(),
            strict=True,
        )
    )
    capacity = {f"mentor-{m}": int(c) for m, c in enumerate(instance["capacity"])}
    group_of = {f"mentee-{e}": f"team-{t}" for e, t in enumerate(instance["mentee_team"])}
    print(
        f"eligible pairs {len(edges):,}; total capacity {sum(capacity.values()):,}; "
        f"{TEAMS} teams, each capped at {max(instance['group_cap'].values())} mentees matched"
    )

    capped = np.bincount(instance["mentee_team"], minlength=TEAMS) > list(
        instance["group_cap"].values()
    )
    print(f"teams with more mentees than their cap: {int(capped.sum())} of {TEAMS}")

    # Median of three runs each: this machine's timings wander by +-30%.
    runs, cpu = [], []
    for _ in range(RUNS):
        started = time.process_time()
        runs.append(
            solve_with_stats(edges, capacity, group_of=group_of, group_cap=instance["group_cap"])
        )
        cpu.append(time.process_time() - started)
    assert all(run.pairs == runs[0].pairs for run in runs), "the engine is not deterministic"
    result = runs[0]
    engine_seconds = statistics.median(cpu)
    # Interleaved, so both see the same load on a shared machine.
    array_runs, bare_runs = [], []
    for _ in range(RUNS):
        array_runs.append(engine_arrays(instance))
        bare_runs.append(bare_ortools(instance))
    array_seconds = statistics.median(run[0] for run in array_runs)
    _, array_matched, array_score = array_runs[0]
    bare_seconds = statistics.median(run[0] for run in bare_runs)
    _, bare_matched, bare_score = bare_runs[0]
    array_peak, bare_peak = peak_rss(engine_arrays, instance), peak_rss(bare_ortools, instance)
    greedy_seconds, greedy_matched, greedy_score = greedy(instance)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{'':<22} {'CPU s':>8} {'matched':>8} {'total score':>12} {'mean':>6}")
    rows = [
        ("engine (solve_arrays)", array_seconds, array_matched, array_score),
        ("engine (solve)", engine_seconds, result.matched, result.total_score),
        ("bare OR-Tools arrays", bare_seconds, bare_matched, bare_score),
        ("greedy", greedy_seconds, greedy_matched, greedy_score),
    ]
    for label, seconds, matched, score in rows:
        print(f"{label:<22} {seconds:>8.3f} {matched:>8,} {score:>12,} {score / matched:>6.2f}")
    print(
        f"solve_arrays / bare OR-Tools time: {array_seconds / bare_seconds:.2f}x; "
        f"solve (id tuples) / bare: {engine_seconds / bare_seconds:.2f}x (medians of {RUNS})"
    )
    print(
        f"peak RSS of a child solving once: solve_arrays {array_peak:,.0f} MB, "
        f"bare OR-Tools {bare_peak:,.0f} MB"
    )
    lost = 100 * (result.total_score - greedy_score) / result.total_score
    print(
        f"greedy vs exact: {lost:.2f}% of the score lost, "
        f"{result.matched - greedy_matched:,} mentees stranded"
    )
    print(f"peak RSS of this process so far: {peak_mb:,.0f} MB")
    assert (bare_matched, bare_score) == (result.matched, result.total_score)
    assert (array_matched, array_score) == (result.matched, result.total_score)


YARDSTICK_BEFORE = 0.26
"""Bare OR-Tools on the 10k rotation (seed 7), CPU seconds, on the machine of the
README's engine table (session 4): this machine's speed varies from session
to session by a factor of two, and figures taken on different days compare
only through a measure like this one, of code that did not change."""


def yardstick() -> None:
    """How fast this machine is today: bare OR-Tools on the 10k rotation."""
    instance = rotation(10_000, 5_000, 7)
    seconds = statistics.median(bare_ortools(instance)[0] for _ in range(RUNS))
    print(
        f"machine yardstick: bare OR-Tools on bench/matching.py's 10k rotation took "
        f"{seconds:.3f} CPU s (median of {RUNS}); {YARDSTICK_BEFORE} s on the machine of the "
        f"README's engine table, so this machine runs {seconds / YARDSTICK_BEFORE:.2f}x as slow"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="mentee counts, comma separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-orlib", action="store_true")
    parser.add_argument(
        "--yardstick", action="store_true", help="only time bare OR-Tools at 10k (see yardstick)"
    )
    args = parser.parse_args()
    if args.yardstick:
        return yardstick()
    if not args.skip_orlib:
        data = shared_data_dir() / "orlib"
        if not data.is_dir():
            sys.exit(f"OR-Library data not found at {data}: set SHARED_DATA_DIR")
        bench_orlib(data)
    for size in args.sizes.split(","):
        bench_rotation(int(size), args.seed)


if __name__ == "__main__":
    main()
