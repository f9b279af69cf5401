"""Benchmark of many leavers at once, each in everything a leaving hands over
(tests/leavers/many.py: their own plan not started, a new hire they buddy, a
manager's task, a stretch seat, assessments owed, a sign-up, a pairing).

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


def measured(call) -> tuple[float, int]:
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps 9,000 queries: building the data fills it
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        started = time.perf_counter()
        call()
        seconds = time.perf_counter() - started
    return seconds, len(queries)


def leavers_in_everything(org, count: int, today: dt.date) -> list:
    from tests.leavers.many import leaver_in_everything

    return [leaver_in_everything(org, name=f"Lee {n}", today=today).leaver for n in range(count)]


def hand_overs(org, count: int, today: dt.date) -> list[tuple[str, float, int]]:
    from ladders.services.leavers import ladders_hand_over
    from mentorship.services.leavers import rotations_hand_over
    from onboarding.services.leavers import plans_hand_over
    from people.models import User

    ids = [person.pk for person in leavers_in_everything(org, count, today)]
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
        from tests.leavers.many import shared_org

        today = timezone.localdate()
        org = shared_org()
        version = ".".join(str(part) for part in connection.get_database_version())
        print(f"\n{connection.display_name} {version}; each leaver is in everything.\n")

        started = time.perf_counter()
        few = hand_overs(org, max(args.leavers // 10, 2), today)
        many = hand_overs(org, args.leavers, today)
        print(f"{'hand-over':<22} {'leavers':>8} {'seconds':>9} {'queries':>8}")
        for (name, s_few, q_few), (_, s_many, q_many) in zip(few, many, strict=True):
            print(f"{name:<22} {max(args.leavers // 10, 2):>8} {s_few:>9.3f} {q_few:>8}")
            print(f"{name:<22} {args.leavers:>8} {s_many:>9.3f} {q_many:>8}")

        leavers = leavers_in_everything(org, args.leavers, today)
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
