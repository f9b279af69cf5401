"""Benchmark of many leavers at once: each leaver buddies a new hire (a buddy
task and a pairing session), owes a manager's task, a stretch seat, an
assessment and a requested one, a rotation sign-up and a published pairing.

1. The three hand-overs (onboarding, ladders, rotations) called on --leavers
   people at once, and on a tenth of them: seconds and queries of each.
2. The same number leaving through the CSV import (``active`` false): the
   whole path, deactivation, checklists and hand-overs, in one transaction.

    .venv/bin/python bench/leavers.py [--leavers 500]

Runs against DATABASE_URL, which must hold no people yet (migrations are
applied); without it, against a fresh temporary SQLite file. Builds its data
with the tests' factories. Not a test: it prints figures.
"""

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace


def setup_django(tmp: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # The factories set a password for everyone: a fast hash for the setup only.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def shared_world() -> SimpleNamespace:
    from mentorship.models import RotationCycle
    from tests.ladders.factories import StretchAssignmentFactory, published_ladder
    from tests.mentorship.factories import RotationCycleFactory
    from tests.people.factories import UserFactory

    revision = published_ladder()
    return SimpleNamespace(
        boss=UserFactory(name="Bo Boss"),
        level=revision.levels.get(code="L2"),
        stretch=StretchAssignmentFactory(seats=10_000),
        open_cycle=RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.OPEN),
        running=RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.PUBLISHED),
    )


def leaver_in_everything(world: SimpleNamespace, today: dt.date):
    from ladders.models import Assessment, AssessmentRequest, StretchParticipation
    from onboarding.models import AssigneeRole, Kind, OnboardingPlan
    from tests.mentorship.factories import (
        MentorSignUpFactory,
        PublishedPairingFactory,
        SignUpFactory,
    )
    from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
    from tests.people.factories import UserFactory

    started = today - dt.timedelta(days=10)
    leaver = UserFactory(manager=world.boss, start_date=dt.date(2024, 1, 8), team=None)
    buddied = OnboardingPlanFactory(
        new_hire=UserFactory(start_date=started, team=None),
        buddy=leaver,
        buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED,
    )
    PlanTaskFactory(plan=buddied, assignee_role=AssigneeRole.BUDDY, assignee=leaver)
    PlanTaskFactory(plan=buddied, kind=Kind.PAIRING, partner=leaver)
    report = UserFactory(manager=leaver, start_date=started, team=None)
    PlanTaskFactory(
        plan=OnboardingPlanFactory(new_hire=report),
        assignee_role=AssigneeRole.MANAGER,
        assignee=leaver,
    )
    StretchParticipation.objects.create(
        assignment=world.stretch, person=leaver, status=StretchParticipation.Status.ACCEPTED
    )
    Assessment.objects.create(person=report, manager=leaver, level=world.level)
    AssessmentRequest.objects.create(
        person=UserFactory(manager=leaver, team=None),
        manager=leaver,
        kind=AssessmentRequest.Kind.ASK,
    )
    SignUpFactory(cycle=world.open_cycle, person=leaver)
    PublishedPairingFactory(
        run__cycle=world.running,
        mentor=MentorSignUpFactory(cycle=world.running, person=leaver),
        mentee=SignUpFactory(cycle=world.running, person=UserFactory(team=None)),
    )
    return leaver


def measured(call) -> tuple[float, int]:
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps 9,000 queries: building the data fills it
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        started = time.perf_counter()
        call()
        seconds = time.perf_counter() - started
    return seconds, len(queries)


def hand_overs(world, count: int, today: dt.date) -> list[tuple[str, float, int]]:
    from ladders.services.leavers import ladders_hand_over
    from mentorship.services.leavers import rotations_hand_over
    from onboarding.services.leavers import plans_hand_over
    from people.models import User

    leavers = [leaver_in_everything(world, today) for _ in range(count)]
    ids = [person.pk for person in leavers]
    User.objects.filter(pk__in=ids).update(is_active=False, end_date=today)
    return [
        (subscriber.__name__, *measured(lambda s=subscriber: s(ids)))
        for subscriber in (plans_hand_over, ladders_hand_over, rotations_hand_over)
    ]


def csv_of_leavers(people) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["email", "name", "title", "team", "manager_email", "start_date", "timezone", "active"]
    )
    for p in people.select_related("team", "manager"):
        team, manager = p.team.name if p.team else "", p.manager.email if p.manager else ""
        writer.writerow(
            [p.email, p.name, p.title, team, manager, p.start_date, p.timezone, "false"]
        )
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leavers", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-leavers-") as tmp:
        setup_django(tmp)
        from django.db import connection
        from django.utils import timezone

        from people.imports import import_people
        from people.models import User

        if User.objects.exists():
            sys.exit(f"The database already holds {User.objects.count()} people; use a fresh one.")
        today = timezone.localdate()
        world = shared_world()
        version = ".".join(str(part) for part in connection.get_database_version())
        print(f"\n{connection.display_name} {version}; each leaver is in everything.\n")

        started = time.perf_counter()
        few = hand_overs(world, max(args.leavers // 10, 2), today)
        many = hand_overs(world, args.leavers, today)
        print(f"{'hand-over':<22} {'leavers':>8} {'seconds':>9} {'queries':>8}")
        for (name, s_few, q_few), (_, s_many, q_many) in zip(few, many, strict=True):
            print(f"{name:<22} {max(args.leavers // 10, 2):>8} {s_few:>9.3f} {q_few:>8}")
            print(f"{name:<22} {args.leavers:>8} {s_many:>9.3f} {q_many:>8}")

        leavers = [leaver_in_everything(world, today) for _ in range(args.leavers)]
        built = time.perf_counter() - started
        report_text = csv_of_leavers(User.objects.filter(pk__in=[p.pk for p in leavers]))
        seconds, queries = measured(
            lambda: import_people(report_text, confirm_leavers=args.leavers)
        )
        gone = User.objects.filter(pk__in=[p.pk for p in leavers], is_active=False).count()
        print(
            f"\nCSV import, {args.leavers} rows with active false: {seconds:.2f} s, "
            f"{queries} queries ({gone} left). Data built in {built:.0f} s."
        )


if __name__ == "__main__":
    main()
