"""The min-cost flow: the edges put in canonical order, the locked pairs
assigned, and the network for the rest built and solved with OR-Tools."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow  # no py.typed: see [tool.mypy] in pyproject

from .locks import check_locks_fit
from .problem import INT64_MAX, BoolArray, IntArray, MatchingError, Names, Problem


def assign(problem: Problem, locked: IntArray, names: Names) -> IntArray:
    """Per mentee, the position of its pair in the optimum (-1: unmatched)."""
    keys = problem.keys()
    # Canonical order: by mentee, then mentor. Sorted input (the match run's) is
    # checked in one pass; other input is sorted, and duplicates become neighbours.
    order: IntArray | None = None
    if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        order = np.argsort(keys, kind="stable").astype(np.int64)
        keys = keys[order]
        repeated = np.flatnonzero(keys[1:] == keys[:-1])
        if repeated.size:
            first = int(order[repeated[0]])
            pair = names.pair(int(problem.mentor[first]), int(problem.mentee[first]))
            raise MatchingError(f"duplicate edge: {pair} appears more than once")
    del keys  # 8 bytes per pair, not needed while the solver runs
    mentor_of_edge = problem.mentor if order is None else problem.mentor[order]
    mentee_of_edge = problem.mentee if order is None else problem.mentee[order]
    units = problem.units if order is None else problem.units[order]
    if order is not None:  # locked positions, in canonical order
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        locked = rank[locked]

    check_locks_fit(locked, mentor_of_edge, mentee_of_edge, problem, names)
    # What is left once the locked pairs are in (more than the mentees would be moot).
    remaining = np.minimum(problem.capacity, problem.n_mentees)
    remaining -= np.bincount(mentor_of_edge[locked], minlength=problem.n_mentors)
    locked_groups = problem.group_of[mentee_of_edge[locked]]
    group_left = problem.group_cap - np.bincount(
        locked_groups[locked_groups >= 0], minlength=len(problem.group_cap)
    )
    is_locked = np.zeros(problem.n_mentees, dtype=bool)
    is_locked[mentee_of_edge[locked]] = True

    chosen_edges = [locked]
    free = ~is_locked[mentee_of_edge] & (remaining[mentor_of_edge] > 0)
    if free.any():
        everything = bool(free.all())  # the common case: no copies of 3M-long arrays
        free_edges = np.arange(len(free)) if everything else np.flatnonzero(free)
        flows = _max_flow_min_cost(
            mentor_of_edge if everything else mentor_of_edge[free_edges],
            mentee_of_edge if everything else mentee_of_edge[free_edges],
            units if everything else units[free_edges],
            remaining,
            problem.group_of,
            group_left,
            is_locked,
        )
        chosen_edges.append(free_edges[flows > 0])
    picked = np.concatenate(chosen_edges).astype(np.int64)
    pair_of = np.full(problem.n_mentees, -1, np.int64)
    pair_of[mentee_of_edge[picked]] = picked if order is None else order[picked]
    return pair_of


def _max_flow_min_cost(
    edge_mentor: IntArray,
    edge_mentee: IntArray,
    edge_units: IntArray,
    remaining: IntArray,
    group_of: IntArray,
    group_left: IntArray,
    is_locked: BoolArray,
) -> IntArray:
    """Solve the network for the free edges; return the flow on each (0 or 1)."""
    best, worst = int(edge_units.max()), int(edge_units.min())
    n_mentees, n_mentors = len(group_of), len(remaining)
    open_group = np.where(is_locked, -1, group_of)
    capped = np.flatnonzero(np.bincount(open_group[open_group >= 0], minlength=len(group_left)))
    group_node = np.full(len(group_left) + 1, 0, np.int64)  # the last entry: "no group"
    group_node[capped] = 2 + np.arange(len(capped))
    first_mentee = 2 + len(capped)
    first_mentor = first_mentee + n_mentees
    nodes = first_mentor + n_mentors
    # OR-Tools scales costs by the number of nodes; beyond this they overflow.
    if (best - worst) * (nodes + 3) >= INT64_MAX:
        raise MatchingError(
            f"scores span too wide a range to solve exactly ({best - worst} units over "
            f"{nodes} nodes overflow 64 bits); scale the scores down"
        )
    costs = best - edge_units  # >= 0, and for a fixed flow the same optimum as -score
    divisor = int(np.gcd.reduce(costs)) if best != worst else 1
    if divisor > 1:
        costs //= divisor

    # source (0) -> capped group -> mentee; source -> mentee in no capped group.
    mentee_tail = group_node[np.where(open_group >= 0, open_group, len(group_left))]
    group_caps = np.clip(group_left[capped], 0, n_mentees)
    # Node numbers as int32 from the start: OR-Tools wants them so, and a 64-bit
    # copy of every arc would be the largest temporary of the whole solve.
    tails = np.concatenate(
        [
            (edge_mentee + first_mentee).astype(np.int32),
            np.zeros(len(capped), np.int32),
            mentee_tail.astype(np.int32),
            np.arange(first_mentor, first_mentor + n_mentors, dtype=np.int32),
        ]
    )
    heads = np.concatenate(
        [
            (edge_mentor + first_mentor).astype(np.int32),
            group_node[capped].astype(np.int32),
            np.arange(first_mentee, first_mentee + n_mentees, dtype=np.int32),
            np.ones(n_mentors, np.int32),  # the sink is node 1
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(len(edge_mentor), np.int64),
            group_caps,
            (~is_locked).astype(np.int64),
            remaining,
        ]
    )
    unit_costs = np.concatenate([costs, np.zeros(len(capped) + n_mentees + n_mentors, np.int64)])

    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    network.set_node_supply(0, n_mentees)
    network.set_node_supply(1, -n_mentees)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise MatchingError(f"the flow solver stopped with status {status.name}")
    flows: IntArray = np.asarray(
        network.flows(np.arange(len(edge_mentor), dtype=np.int32)), dtype=np.int64
    )
    return flows
