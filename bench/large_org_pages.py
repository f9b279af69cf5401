"""Benchmark of the heaviest pages for a 20,000-person organisation, each timed
beside the paginated directory page in the same run, through Django's test
client with DEBUG off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages \\
        .venv/bin/python bench/large_org_pages.py [--people 20000] [--pairs 5000] [--repeat 5]

The organisation is built in bulk (not timed): a CTO, 12 directors, 60 teams
with 4 managers each, everyone else an engineer under a manager; everyone
placed on the default ladder, 70% with a finalised assessment; a rotation
cycle in review whose latest run proposed --pairs pairings and left 1,000
people unmatched. Then each page is fetched --repeat times (after one warm-up)
and the median, the response size and the query count are printed, with the
ratio to the directory page. Aim: none over 3x the directory page.

On PostgreSQL the database is created if missing and emptied first (it is the
benchmark's own: do not point it at real data); --keep reuses the organisation
a previous run left there. Without DATABASE_URL it runs
on a fresh temporary SQLite file. Not a test: it prints figures.
"""

import argparse
import statistics
import sys
import tempfile
import time

import numpy as np
import support

TEAMS = 60
MANAGERS_PER_TEAM = 4
DIRECTORS = 12
ASSESSED_SHARE = 0.7
UNMATCHED = 1000
BATCH = 5000


def setup_django(tmp: str, keep: bool) -> None:
    support.setup_django(tmp, var_dir=True, create=True)
    from django.conf import settings

    # Production renders pages with DEBUG off (no query log, cached templates);
    # the settings' other DEBUG-off switches (HTTPS redirect) would only get in
    # the way of the test client, so only this one is turned.
    settings.DEBUG = False
    if not (keep and built_before()):
        support.empty_database()


def built_before() -> bool:
    from people.models import User

    return User.objects.filter(email="cto@bench.example").exists()


def build_organisation(size: int, pairs: int, seed: int):
    """The people, their ladder standing and a cycle in review. All in bulk."""
    from people.models import Team, User

    rng = np.random.default_rng(seed)
    revision, levels, competencies = support.default_ladder()

    teams = Team.objects.bulk_create([Team(name=f"Team {k:02d}") for k in range(TEAMS)])
    cto = User.objects.create_superuser(email="cto@bench.example", password="!", name="Chief")
    directors = User.objects.bulk_create(
        User(email=f"director{k}@bench.example", name=f"Director {k}", manager=cto, password="!")
        for k in range(DIRECTORS)
    )
    managers = User.objects.bulk_create(
        User(
            email=f"manager{t}-{k}@bench.example",
            name=f"Manager {t}-{k}",
            title="Engineering manager",
            team=teams[t],
            manager=directors[t % DIRECTORS],
            password="!",
        )
        for t in range(TEAMS)
        for k in range(MANAGERS_PER_TEAM)
    )
    engineers = size - 1 - len(directors) - len(managers)
    team_of = rng.choice(TEAMS, size=engineers, p=rng.dirichlet(np.full(TEAMS, 4.0)))
    people = User.objects.bulk_create(
        (
            User(
                email=f"engineer{k}@bench.example",
                name=f"Engineer {k:05d}",
                title="Software engineer",
                team=teams[team_of[k]],
                manager=managers[team_of[k] * MANAGERS_PER_TEAM + rng.integers(MANAGERS_PER_TEAM)],
                password="!",
            )
            for k in range(engineers)
        ),
        batch_size=BATCH,
    )

    codes = ["M1"] * len(managers) + rng.choice(
        ["L1", "L2", "L3", "L4", "L5"], size=len(people), p=[0.2, 0.3, 0.3, 0.15, 0.05]
    ).tolist()
    support.place(managers + people, codes, levels)
    assessed = [p for p in people if rng.random() < ASSESSED_SHARE]
    ratings = rng.choice([1, 2, 3, 4], size=(len(assessed), len(competencies)))
    support.finalised_assessments(
        assessed, level=levels["L2"], competencies=competencies, ratings=ratings
    )
    cycle = build_cycle_in_review(revision.ladder, managers + people, pairs, rng)
    return cto, cycle


def build_cycle_in_review(ladder, everyone, pairs: int, rng):
    from mentorship.models import MatchRun, Pairing, Role, RotationCycle, SignUp

    cycle = RotationCycle.objects.create(
        name="Bench winter",
        theme="Reliability",
        ladder=ladder,
        signup_opens_on="2026-11-01",
        signup_closes_on="2026-11-30",
        starts_on="2026-12-07",
        ends_on="2027-01-29",
        status=RotationCycle.Status.REVIEW,
        mentor_min_level="L3",
        mentee_min_level="L1",
        mentee_max_level="L3",
    )
    chosen = rng.choice(len(everyone), size=2 * pairs + UNMATCHED, replace=False)
    mentors = SignUp.objects.bulk_create(
        (
            SignUp(cycle=cycle, person=everyone[k], role=Role.MENTOR, capacity=1)
            for k in chosen[:pairs].tolist()
        ),
        batch_size=BATCH,
    )
    mentees = SignUp.objects.bulk_create(
        (SignUp(cycle=cycle, person=everyone[k], role=Role.MENTEE) for k in chosen[pairs:]),
        batch_size=BATCH,
    )
    run = MatchRun.objects.create(
        cycle=cycle,
        status=MatchRun.Status.DONE,
        finished_at="2026-12-01T09:00Z",
        figures={"participants": len(mentors) + len(mentees), "matched": pairs},
        unmatched=[
            {
                "person": str(s.person),
                "role": "mentee",
                "team": "Team",
                "reason": "No eligible mentor had room left.",
            }
            for s in mentees[pairs:]
        ],
    )
    Pairing.objects.bulk_create(
        (
            Pairing(
                run=run,
                cycle=cycle,
                mentor=mentor,
                mentee=mentee,
                score=float(score),
                explanation=[
                    "The mentor teaches 2 of the mentee's 3 learning goals.",
                    "They work in different teams.",
                    "Three levels apart.",
                ],
            )
            for mentor, mentee, score in zip(
                mentors, mentees[:pairs], rng.integers(4, 40, size=pairs) / 4, strict=False
            )
        ),
        batch_size=BATCH,
    )
    return cycle


def measure(client, url: str, repeat: int) -> tuple[float, int, int]:
    """Median seconds over `repeat` fetches after a warm-up, bytes, queries."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper counts with DEBUG off too (the test client closes the
    # connection after each request, which a query log does not survive).
    with connection.execute_wrapper(count):
        response = client.get(url)  # the warm-up, counted
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), len(response.content), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the organisation a previous run left"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        setup_django(tmp, args.keep)
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from mentorship.models import RotationCycle
        from people.models import User

        started = time.perf_counter()
        if args.keep and built_before():
            cto = User.objects.get(email="cto@bench.example")
            cycle = RotationCycle.objects.get(name="Bench winter")
        else:
            cto, cycle = build_organisation(args.people, args.pairs, args.seed)
            if connection.vendor == "postgresql":
                # What autovacuum does soon after a bulk load in production:
                # without statistics the planner guesses a handful of rows.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        built = time.perf_counter() - started
        client = Client()
        client.force_login(cto)
        directory = reverse("people:person_list")
        pages = [
            ("team heat map (CTO)", reverse("ladders:team_gaps")),
            ("everyone under the CTO", reverse("people:my_team")),
            (
                f"review, {args.pairs:,} pairs",
                reverse("admin:mentorship_rotationcycle_review", args=[cycle.pk]),
            ),
        ]
        print(
            f"\n{connection.display_name}: {args.people:,} people, {args.pairs:,} proposed "
            f"pairs; built in {built:.1f} s; median of {args.repeat}, DEBUG off"
        )
        print(f"{'page':<28}{'seconds':>9}{'KB':>9}{'queries':>9}{'x directory':>13}")
        for name, url in pages:
            # Interleaved: the directory is measured right beside each page.
            base, base_size, base_queries = measure(client, directory, args.repeat)
            took, size, queries = measure(client, url, args.repeat)
            print(f"{'  directory':<28}{base:9.3f}{base_size / 1024:9.0f}{base_queries:9d}")
            print(f"{name:<28}{took:9.3f}{size / 1024:9.0f}{queries:9d}{took / base:12.1f}x")
        connection.close()


if __name__ == "__main__":
    main()
