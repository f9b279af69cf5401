"""Benchmark of the team heat map: a manager with 500 people below them (five
levels deep), everyone placed and assessed on the default ladder; times the
selector and the whole page through Django's test client, with query counts.

    .venv/bin/python bench/team_gaps.py [--people 500] [--repeat 20]

Runs against DATABASE_URL (migrated, no demo data needed); without it, against
a fresh temporary SQLite file. Not a test: it prints figures.
"""

import argparse
import random
import statistics
import tempfile
import time

import support


def build_org(size: int, rng: random.Random):
    """A tree under one manager: each manager has up to 8 reports."""
    from django.utils import timezone

    from ladders.demo import DEFAULT_LADDER
    from ladders.exchange import check, parse_text
    from ladders.models import Assessment, CompetencyRating, Placement, Side
    from ladders.services.revisions import ladder_import
    from people.models import Team, User

    revision = ladder_import(data=check(parse_text(DEFAULT_LADDER.read_text())), publish=True)
    levels = list(revision.levels.filter(track="ic"))
    competencies = list(revision.competencies.all())
    team = Team.objects.create(name=f"Bench team {rng.random():.6f}")
    boss = User.objects.create(
        email=f"boss{rng.random():.9f}@bench.example", name="Boss", password="!", team=team
    )
    managers, people = [boss], []
    while len(people) < size:
        manager = managers[len(people) // 8]
        person = User(
            email=f"p{len(people)}.{rng.random():.9f}@bench.example",
            name=f"Person {len(people):04d}",
            password="!",
            team=team,
            manager=manager,
        )
        person.save()
        people.append(person)
        managers.append(person)
    Placement.objects.bulk_create(
        Placement(person=p, level=rng.choice(levels), since="2025-01-01") for p in people
    )
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            person=p,
            manager_id=p.manager_id,
            level=levels[0],
            status=Assessment.Status.FINAL,
            finalised_at=now,
        )
        for p in people
    )
    if assessments[0].pk is None:
        assessments = list(Assessment.objects.filter(person__in=people))
    CompetencyRating.objects.bulk_create(
        (
            CompetencyRating(
                assessment=a, competency=c, side=Side.MANAGER, rating=rng.randint(1, 4)
            )
            for a in assessments
            for c in competencies
        ),
        batch_size=2000,
    )
    return boss


def timed(repeat: int, action) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gaps-") as tmp:
        support.setup_django(tmp, var_dir=True)
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from ladders.selectors.standing import team_grid

        setup_test_environment()
        start = time.perf_counter()
        boss = build_org(args.people, random.Random(5))
        print(f"built {args.people} people with assessments in {time.perf_counter() - start:.1f} s")
        client = Client()
        client.force_login(boss)

        grid = team_grid(manager=boss)
        rows = [
            ("selector team_grid", *timed(args.repeat, lambda: team_grid(manager=boss))),
            ("page /ladders/team/", *timed(args.repeat, lambda: client.get("/ladders/team/"))),
        ]
        print(
            f"\n{connection.vendor}: {len(grid.people)} people x {len(grid.competencies)} "
            f"competencies, median of {args.repeat}"
        )
        print(f"{'what':22} {'median s':>9} {'max s':>7} {'queries':>8}")
        for name, median, worst, queries in rows:
            print(f"{name:22} {median:9.3f} {worst:7.3f} {queries:8d}")


if __name__ == "__main__":
    main()
