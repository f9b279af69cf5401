"""Benchmark of a whole match run (mentorship/services/matching_run.py): a cycle
of 10,000 mentees and 5,000 mentors on the default engineering ladder, loaded,
scored, solved and written by the same service a worker runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_match \\
        .venv/bin/python bench/match_run.py [--mentees 10000] [--mentors 5000] [--seed 3]

Each phase is shown in wall seconds and in CPU seconds of this process (the
run's own figures): on a machine shared with other work, the CPU figure is the
one to compare. Peak memory is the process's peak RSS.

    .venv/bin/python bench/match_run.py --sizes 1000,10000,50000

runs each size (mentees; half as many mentors) in its own processes, one that
generates the organisation and one that runs the match, so each peak is the
run's own, and ends with a table of the sizes side by side.

On PostgreSQL the database is created if missing and emptied first (it is the
benchmark's own: do not point it at real data). Without DATABASE_URL it runs on
a fresh temporary SQLite file. Generating the organisation is not timed; the run
is, phase by phase, from the run's own figures. Not a test: it prints figures.
"""

import argparse
import itertools
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import support

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEAMS = 60
MANAGERS_PER_TEAM = 4
DIRECTORS = 12
TIMEZONES = [
    ("Europe/London", 0.30),
    ("Europe/Berlin", 0.25),
    ("America/New_York", 0.15),
    ("America/Los_Angeles", 0.08),
    ("Asia/Kolkata", 0.10),
    ("Asia/Singapore", 0.05),
    ("America/Sao_Paulo", 0.04),
    ("Australia/Sydney", 0.03),
]
MENTOR_LEVELS = {"L3": 0.45, "L4": 0.3, "L5": 0.1, "M1": 0.1, "M2": 0.05}
MENTEE_LEVELS = {"L1": 0.35, "L2": 0.45, "L3": 0.2}
ASSESSED_SHARE = 0.7  # mentees with a finalised assessment (their gaps weigh goals)
PREFERRING_SHARE = 0.3  # mentees who rank one to three mentors
BUSY_SHARE = 0.03  # people already at the commitment limit (two stretch assignments)
PAST_SHARE = 0.3  # mentees published in a pair last cycle (the repeat rule)
BATCH = 5000


def setup_django(tmp: str, fresh: bool = True) -> None:
    support.setup_django(tmp, create=True, migrate=fresh)
    if fresh:
        support.empty_database()


def pick(rng, weights: dict | list, size: int) -> list:
    items = list(weights) if isinstance(weights, dict) else [k for k, _ in weights]
    p = np.array(list(weights.values()) if isinstance(weights, dict) else [w for _, w in weights])
    return [items[k] for k in rng.choice(len(items), size=size, p=p / p.sum())]


def build_organisation(mentees: int, mentors: int, seed: int):
    """Teams, a reporting tree, placements, assessments, a previous cycle with
    published pairs, busy people, and the cycle with its sign-ups. All in bulk."""
    from django.conf import settings
    from django.db import connection

    from ladders.models import StretchAssignment, StretchParticipation
    from mentorship.models import MatchRun, Pairing, Preference, Role, RotationCycle, SignUp
    from people.models import Team, User

    rng = np.random.default_rng(seed)
    revision, levels, competencies = support.default_ladder()

    teams = Team.objects.bulk_create([Team(name=f"Team {k:02d}") for k in range(TEAMS)])
    cto = User.objects.create(email="cto@bench.example", name="Chief Technology", password="!")
    directors = User.objects.bulk_create(
        [
            User(
                email=f"director{k}@bench.example",
                name=f"Director {k}",
                manager=cto,
                password="!",
                timezone="Europe/London",
            )
            for k in range(DIRECTORS)
        ]
    )
    managers = User.objects.bulk_create(
        [
            User(
                email=f"manager{t}-{k}@bench.example",
                name=f"Manager {t}-{k}",
                team=teams[t],
                manager=directors[t % DIRECTORS],
                timezone=pick(rng, TIMEZONES, 1)[0],
                password="!",
            )
            for t in range(TEAMS)
            for k in range(MANAGERS_PER_TEAM)
        ],
        batch_size=BATCH,
    )

    # Every manager mentors; the other mentors and all mentees are engineers.
    engineers = mentees + mentors - len(managers)
    team_share = rng.dirichlet(np.full(TEAMS, 4.0))
    team_of = rng.choice(TEAMS, size=engineers, p=team_share)
    zones = pick(rng, TIMEZONES, engineers)
    people = User.objects.bulk_create(
        [
            User(
                email=f"engineer{k}@bench.example",
                name=f"Engineer {k}",
                team=teams[team_of[k]],
                manager=managers[team_of[k] * MANAGERS_PER_TEAM + rng.integers(MANAGERS_PER_TEAM)],
                timezone=zones[k],
                password="!",
            )
            for k in range(engineers)
        ],
        batch_size=BATCH,
    )
    mentor_people = managers + people[: mentors - len(managers)]
    mentee_people = people[mentors - len(managers) :]
    mentor_levels = ["M1"] * len(managers) + pick(
        rng, MENTOR_LEVELS, len(mentor_people) - len(managers)
    )
    mentee_levels = pick(rng, MENTEE_LEVELS, len(mentee_people))
    support.place(mentor_people + mentee_people, mentor_levels + mentee_levels, levels)

    # Finalised assessments: ratings 1-4 per competency, the manager's side.
    assessed = [p for p in mentee_people if rng.random() < ASSESSED_SHARE]
    ratings = rng.choice(
        [1, 2, 3, 4], size=(len(assessed), len(competencies)), p=[0.1, 0.3, 0.45, 0.15]
    )
    assessments = support.finalised_assessments(
        assessed, level=levels["L2"], competencies=competencies, ratings=ratings
    )
    rating_of = {a.person_id: row for a, row in zip(assessments, ratings, strict=True)}

    # A previous cycle with published pairs, so the repeat rule has work to do.
    previous = bench_cycle(
        revision,
        ("Bench summer", "Ownership"),
        ("2026-05-01", "2026-05-20", "2026-06-01", "2026-07-31"),
        status=RotationCycle.Status.CLOSED,
    )
    past_count = int(PAST_SHARE * len(mentee_people))
    past_mentors = rng.choice(len(mentor_people), size=past_count)
    past_mentees = rng.choice(len(mentee_people), size=past_count, replace=False)
    old = SignUp.objects.bulk_create(
        [
            SignUp(cycle=previous, person=mentor_people[k], role=Role.MENTOR, capacity=3)
            for k in sorted(set(past_mentors.tolist()))
        ]
        + [
            SignUp(cycle=previous, person=mentee_people[k], role=Role.MENTEE)
            for k in past_mentees.tolist()
        ],
        batch_size=BATCH,
    )
    old_of = {(s.person_id, s.role): s for s in old}
    past_run = MatchRun.objects.create(cycle=previous, status=MatchRun.Status.DONE)
    Pairing.objects.bulk_create(
        [
            Pairing(
                run=past_run,
                cycle=previous,
                mentor=old_of[(mentor_people[m].pk, Role.MENTOR)],
                mentee=old_of[(mentee_people[e].pk, Role.MENTEE)],
                score=10,
                status=Pairing.Status.PUBLISHED,
                published_at="2026-05-25T09:00Z",
            )
            for m, e in zip(past_mentors.tolist(), past_mentees.tolist(), strict=True)
        ],
        batch_size=BATCH,
    )

    # Some people already carry two stretch assignments: the commitment limit.
    limit = getattr(settings, "GROWTH_COMMITMENT_LIMIT", 2)
    stretch = StretchAssignment.objects.bulk_create(
        [
            StretchAssignment(
                title=f"Stretch {k}",
                description="Bench",
                posted_by=cto,
                hours_per_week=4,
                seats=500,
                starts_on="2026-10-01",
                ends_on="2027-03-31",
            )
            for k in range(limit)
        ]
    )
    everyone = mentor_people + mentee_people
    busy = rng.choice(len(everyone), size=int(BUSY_SHARE * len(everyone)), replace=False)
    StretchParticipation.objects.bulk_create(
        [
            StretchParticipation(
                assignment=a, person=everyone[k], status=StretchParticipation.Status.ACCEPTED
            )
            for k in busy.tolist()
            for a in stretch
        ],
        batch_size=BATCH,
    )

    cycle = bench_cycle(
        revision,
        ("Bench winter", "Reliability"),
        ("2026-11-01", "2026-11-30", "2026-12-07", "2027-01-29"),
        status=RotationCycle.Status.MATCHING,
        min_level_gap=1,
        require_cross_team=True,
        repeat_window=2,
        max_mentees_per_team=math.ceil(1.2 * mentees / TEAMS),
    )
    signups = SignUp.objects.bulk_create(
        [
            SignUp(
                cycle=cycle,
                person=p,
                role=Role.MENTOR,
                capacity=int(rng.integers(1, 4)),
                project_title="A focused project",
            )
            for p in mentor_people
        ]
        + [SignUp(cycle=cycle, person=p, role=Role.MENTEE) for p in mentee_people],
        batch_size=BATCH,
    )
    through = SignUp.competencies.through
    links = []
    mentor_signups = [s for s in signups if s.role == Role.MENTOR]
    teachers_of: dict[int, list] = {c.pk: [] for c in competencies}
    for s in mentor_signups:
        for k in rng.choice(len(competencies), size=int(rng.integers(2, 5)), replace=False):
            links.append(through(signup_id=s.pk, competency_id=competencies[k].pk))
            teachers_of[competencies[k].pk].append(s)
    preferences = []
    for s in signups:
        if s.role != Role.MENTEE:
            continue
        goals = int(rng.integers(1, 4))
        ratings_row = rating_of.get(s.person_id)
        if ratings_row is not None:  # the biggest gaps, as the sign-up form suggests
            chosen = np.argsort(ratings_row + rng.random(len(competencies)))[:goals]
        else:
            chosen = rng.choice(len(competencies), size=goals, replace=False)
        for k in chosen:
            links.append(through(signup_id=s.pk, competency_id=competencies[k].pk))
        if rng.random() < PREFERRING_SHARE:
            pool = teachers_of[competencies[chosen[0]].pk]
            picks = rng.choice(len(pool), size=min(3, len(pool)), replace=False)
            preferences += [
                Preference(mentee=s, mentor=pool[k], rank=rank)
                for rank, k in enumerate(picks.tolist(), start=1)
            ]
    through.objects.bulk_create(links, batch_size=BATCH)
    Preference.objects.bulk_create(preferences, batch_size=BATCH)
    # Last: a database in service has its planner statistics (autovacuum keeps them);
    # one loaded a moment ago has none until autovacuum comes by, and then
    # plans the run's joins as if every table were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cycle, len(links), len(preferences)


def bench_cycle(revision, names: tuple[str, str], dates: tuple[str, ...], **fields):
    """A cycle on the ladder for L3+ mentors and L1-L3 mentees: (name, theme),
    (sign-ups open, sign-ups close, starts, ends), and any other fields."""
    from mentorship.models import RotationCycle

    name, theme = names
    opens, closes, starts, ends = dates
    return RotationCycle.objects.create(
        name=name,
        theme=theme,
        ladder=revision.ladder,
        signup_opens_on=opens,
        signup_closes_on=closes,
        starts_on=starts,
        ends_on=ends,
        mentor_min_level="L3",
        mentee_min_level="L1",
        mentee_max_level="L3",
        **fields,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--sizes", help="mentee counts, comma separated: one run per size")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--run-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sizes:
        return compare_sizes([int(size) for size in args.sizes.split(",")], args.seed)
    if args.mentors < TEAMS * MANAGERS_PER_TEAM:
        sys.exit(f"--mentors must be at least {TEAMS * MANAGERS_PER_TEAM} (every manager mentors)")

    with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
        setup_django(tmp, fresh=not args.run_only)
        from django.db import connection

        from mentorship.models import MatchRun, Preference, RotationCycle, SignUp

        generated = math.nan
        if not args.run_only:
            started = time.perf_counter()
            build_organisation(args.mentees, args.mentors, args.seed)
            generated = time.perf_counter() - started
        if args.generate_only:
            print(f"organisation generated in {generated:.1f} s")
            return None
        cycle = RotationCycle.objects.get(name="Bench winter")
        links = SignUp.competencies.through.objects.filter(signup__cycle=cycle).count()
        preferences = Preference.objects.filter(mentee__cycle=cycle).count()

        from mentorship.services.matching_run import match_run_execute

        # The run as a worker would execute it; created directly, so no broker is needed.
        run = MatchRun.objects.create(cycle=cycle)
        started, cpu = time.perf_counter(), time.process_time()
        match_run_execute(match_run_id=run.pk)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        run.refresh_from_db()
        report(connection, args, run, (wall, cpu), generated, links, preferences)
        connection.close()
    return None


def compare_sizes(sizes: list[int], seed: int) -> None:
    """Each size in two child processes (generate, then run), then the table."""
    rows = []
    for mentees in sizes:
        mentors = max(mentees // 2, TEAMS * MANAGERS_PER_TEAM)
        base = [sys.executable, __file__, "--mentees", str(mentees), "--mentors", str(mentors)]
        base += ["--seed", str(seed)]
        subprocess.run([*base, "--generate-only"], check=True)
        done = subprocess.run([*base, "--run-only"], check=True, capture_output=True, text=True)
        print(done.stdout, end="")
        summary = next(line for line in done.stdout.splitlines() if line.startswith("SUMMARY "))
        rows.append(json.loads(summary.removeprefix("SUMMARY ")))
    phases = ("load", "score", "solve", "write")
    print("\nside by side (wall s / CPU s of the run process; peak RSS of that process)")
    print(
        f"{'sign-ups':>16} "
        + " ".join(f"{p:>13}" for p in phases)
        + f"{'in all':>15}{'peak MB':>9}"
    )
    for row in rows:
        cells = " ".join(f"{row['seconds'][p]:>6.2f}/{row['cpu'][p]:<6.2f}" for p in phases)
        total = f"{row['seconds']['total']:>7.2f}/{sum(row['cpu'].values()):<7.2f}"
        print(f"{row['mentees']:>8,}/{row['mentors']:<7,} {cells} {total}{row['peak']:>9,.0f}")
    yardstick = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("matching.py")), "--yardstick"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    print(yardstick.stdout.strip())
    for small, large in itertools.pairwise(rows):
        factor = large["mentees"] / small["mentees"]
        cpu = sum(large["cpu"].values()) / max(sum(small["cpu"].values()), 1e-9)
        print(
            f"{small['mentees']:,} -> {large['mentees']:,} sign-up pairs ({factor:g}x): "
            f"{cpu:.2f}x the CPU time, {large['peak'] / small['peak']:.2f}x the peak memory"
        )


def report(connection, args, run, took, generated, links, preferences) -> None:
    wall, cpu = took
    if run.status != run.Status.DONE:
        sys.exit(f"The run {run.status}: {run.error}")
    figures, seconds = run.figures, run.figures["seconds"]
    version = ".".join(str(part) for part in connection.get_database_version())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n{connection.display_name} {version}; {args.mentees:,} mentees x {args.mentors:,} "
        f"mentors on {TEAMS} teams (seed {args.seed}); {links:,} competency choices, "
        f"{preferences:,} preferences; organisation generated in {generated:.1f} s"
    )
    print(
        f"participants {figures['participants']:,}; mentor places {figures['capacity']:,}; "
        f"candidate pairs {figures['eligible_pairs']:,}; matched {figures['matched']:,} "
        f"({figures['match_rate']:.1%}); crossing teams {figures['crossing_teams']:,}; "
        f"total score {figures['total_score']:,.2f}; average {figures['average_score']:.2f}"
    )
    cpu_seconds = figures.get("cpu_seconds", {})
    print(f"{'phase':<10}{'seconds':>9}{'CPU s':>9}")
    for phase in ("load", "score", "solve", "write"):
        print(f"{phase:<10}{seconds[phase]:>9.2f}{cpu_seconds.get(phase, math.nan):>9.2f}")
    print(
        f"{'in all':<10}{seconds['total']:>9.2f}{sum(cpu_seconds.values()):>9.2f}"
        f"   (wall, with the claim and commit: {wall:.2f})"
    )
    print(f"CPU time of this process for the run: {cpu:.2f} s (numpy may use several cores)")
    print(f"peak memory of the process: {peak:,.0f} MB")
    summary = {
        "mentees": args.mentees,
        "mentors": args.mentors,
        "seconds": seconds,
        "cpu": cpu_seconds,
        "peak": peak,
        "matched": figures["matched"],
        "candidates": figures["eligible_pairs"],
        "total_score": figures["total_score"],
    }
    print("SUMMARY " + json.dumps(summary))
    reasons = Counter(_kind(row["reason"]) for row in run.unmatched)
    print("left out, by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:>6}  {reason}")


def _kind(reason: str) -> str:
    """A reason without the names and numbers that make it personal."""
    for prefix in (
        "Team cap reached",
        "All ",
        "Your one eligible",
        "You are at the limit",
        "You were paired",
        "Every mentor",
        "Every mentee",
        "No mentor",
        "No mentee",
        "Each of the",
        "The one mentee",
        "The lock",
    ):
        if reason.startswith(prefix):
            return prefix.strip() + " ..."
    return reason


if __name__ == "__main__":
    main()
