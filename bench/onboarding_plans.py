"""Benchmark of onboarding plan creation: plans for 1,000 new hires in one go
(seconds and queries), the same call again (idempotent: nothing to do), and
one new hire's plan with 10 and with 100 items (queries: the same).

    .venv/bin/python bench/onboarding_plans.py [--hires 1000] [--seed 1]

Runs against DATABASE_URL, which must hold no people yet (migrations are applied);
without it, against a fresh temporary SQLite file. Not a test: it prints figures.
"""

import argparse
import random
import tempfile
from datetime import date, timedelta

import support

TEAMS = {"Product Engineering": ["Payments", "Search", "Checkout", "Identity"]}
TEAMS["Platform"] = ["Infrastructure", "Data", "Developer Experience"]
TIMEZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles"]
TIMEZONES += ["Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "UTC"]
LEVELS = [("L1", "ic"), ("L2", "ic"), ("L3", "ic"), ("L4", "ic"), ("M1", "manager")]
HOLIDAYS = [date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1), date(2027, 4, 2)]
KINDS = ["product", "setup", "pairing", "meeting", "reading"]
ROLES = ["new_hire", "new_hire", "new_hire", "buddy", "manager", "people_team"]


def items_for(template, count: int, rng: random.Random) -> list:
    from onboarding.models import TemplateItem

    return [
        TemplateItem(
            template=template,
            title=f"{template.name}: step {n + 1}",
            description=f"See https://wiki.example.com/onboarding/{template.pk}/{n}",
            kind=rng.choice(KINDS),
            assignee_role=rng.choice(ROLES),
            due_offset=rng.randint(-5, 60),
            position=n,
        )
        for n in range(count)
    ]


def build_templates(rng: random.Random, teams: dict) -> int:
    """A base template, one per team and per parent team, one per level and a
    track template: about 30 items for a typical new hire."""
    from onboarding.models import ChecklistTemplate, TemplateItem

    rules = [("Base", {"applies_to": "everyone"}, 12)]
    rules += [(name, {"applies_to": "team", "team": team}, 8) for name, team in teams.items()]
    rules += [
        (f"Level {code}", {"applies_to": "level", "level_code": code}, 5) for code, _ in LEVELS
    ]
    rules.append(("Manager track", {"applies_to": "track", "track": "manager"}, 6))
    items = []
    for position, (name, rule, count) in enumerate(rules):
        template = ChecklistTemplate.objects.create(name=name, position=position, **rule)
        items += items_for(template, count, rng)
    TemplateItem.objects.bulk_create(items)
    return len(items)


def build_people(hires: int, rng: random.Random):
    """Teams, managers, a published ladder, and the new hires (with placements)."""
    from ladders.models import Ladder, Level, Placement, Revision
    from onboarding.models import Holiday
    from people.models import Team, User

    teams = {}
    for parent_name, children in TEAMS.items():
        parent = teams[parent_name] = Team.objects.create(name=parent_name)
        for child in children:
            teams[child] = Team.objects.create(name=child, parent=parent)
    leaf_teams = [t for name, t in teams.items() if name not in TEAMS]
    managers = User.objects.bulk_create(
        User(email=f"manager{n}@example.com", name=f"Manager {n}", team=team, password="!")
        for n, team in enumerate(leaf_teams)
    )
    manager_of = {m.team_id: m for m in managers}
    ladder = Ladder.objects.create(slug="engineering", name="Engineering")
    revision = Revision.objects.create(ladder=ladder, number=1, status="published")
    levels = Level.objects.bulk_create(
        Level(revision=revision, code=code, name=code, track=track, position=i)
        for i, (code, track) in enumerate(LEVELS)
    )
    Holiday.objects.bulk_create(Holiday(date=day, name=f"Holiday {day}") for day in HOLIDAYS)
    mondays = [date(2026, 11, 30) + timedelta(weeks=w) for w in range(8)]
    people = []
    for n in range(hires):
        team = rng.choice(leaf_teams)
        start = rng.choice(mondays) + timedelta(days=rng.choice([0, 0, 0, 1, 2, 6]))
        people.append(
            User(
                email=f"hire{n}@example.com",
                name=f"New Hire {n}",
                team=team,
                manager=manager_of[team.pk],
                start_date=start,
                timezone=rng.choice(TIMEZONES),
                password="!",
            )
        )
    people = User.objects.bulk_create(people)
    Placement.objects.bulk_create(
        Placement(person=p, level=rng.choice(levels), since=p.start_date)
        for p in people
        if rng.random() < 0.8  # some new hires are not placed yet
    )
    return teams, list(User.objects.filter(email__startswith="hire").order_by("pk"))


def one_hire_queries(items: int, rng: random.Random) -> tuple[int, int]:
    """Queries to create the plan of one new hire whose templates hold `items` items."""
    from onboarding.models import ChecklistTemplate, TemplateItem
    from onboarding.services.plans import plan_create
    from people.models import User

    ChecklistTemplate.objects.update(is_active=False)
    template = ChecklistTemplate.objects.create(name=f"Only {items}", applies_to="everyone")
    TemplateItem.objects.bulk_create(items_for(template, items, rng))
    person = User.objects.create(
        email=f"solo{items}@example.com", name=f"Solo {items}", start_date=date(2027, 2, 1)
    )
    plan, _, queries = support.measure(lambda: plan_create(person=person))
    return queries, plan.tasks.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hires", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-onboarding-") as tmp:
        support.setup_django(tmp)
        from django.conf import settings
        from django.db import connection

        from onboarding.models import OnboardingPlan, PlanTask
        from onboarding.services.plans import plans_create

        support.require_no_people()
        settings.DEBUG = False  # CaptureQueriesContext records queries regardless
        rng = random.Random(args.seed)
        teams, hires = build_people(args.hires, rng)
        item_count = build_templates(rng, teams)

        plans, seconds, queries = support.measure(lambda: plans_create(people=hires))
        tasks = PlanTask.objects.count()
        task_history = PlanTask.history.count()
        _, again_seconds, again_queries = support.measure(lambda: plans_create(people=hires))
        again_plans = OnboardingPlan.objects.count()
        ten = one_hire_queries(10, rng)
        hundred = one_hire_queries(100, rng)

        print(
            f"\n{support.database_version(connection)} ({connection.vendor}); {len(hires):,} new "
            f"hires in {len(teams)} teams, {item_count} template items in all, "
            f"{tasks / max(len(plans), 1):.1f} tasks a plan on average"
        )
        print(f"{'step':<40}{'seconds':>9}{'queries':>9}{'plans':>8}{'tasks':>9}")
        print(
            f"{'plans for all new hires in one go':<40}{seconds:>9.2f}{queries:>9}"
            f"{len(plans):>8}{tasks:>9}"
        )
        print(
            f"{'the same call again (nothing to do)':<40}{again_seconds:>9.2f}{again_queries:>9}"
            f"{again_plans - len(plans):>8}{0:>9}"
        )
        print(f"task history records written: {task_history:,} (one per task)")
        print(f"{'one new hire':<40}{'queries':>9}{'tasks':>9}")
        for label, (count_queries, count_tasks) in (("10 items", ten), ("100 items", hundred)):
            print(f"{'one new hire, ' + label:<40}{count_queries:>9}{count_tasks:>9}")
        if connection.vendor == "sqlite":
            print(
                "(SQLite: Django caps a query at 999 parameters, so the tasks' INSERT "
                "is split every ~50 rows; PostgreSQL inserts 1,000 at a time.)"
            )
        connection.close()


if __name__ == "__main__":
    main()
