"""Benchmark of one person's calendar feed with 100 dated items (70
onboarding tasks, 10 rotations of 3 dates each... see build_person): the
response time and queries of a full answer, of a conditional request
answered 304, and the queries for 3 items against 100 (the same).

    .venv/bin/python bench/calendar_feed.py [--items 100] [--repeat 50]

Runs against DATABASE_URL, or a fresh temporary SQLite file. Not a test.
"""

import argparse
import datetime as dt
import statistics
import tempfile
import time

import support


def build_person(email: str, items: int):
    """A new hire with ~70% of ``items`` as onboarding tasks, the rest as
    rotation dates (3 a pairing) and stretch assignments (2 each)."""
    from ladders.models import Ladder, StretchAssignment, StretchParticipation
    from mentorship.models import MatchRun, Pairing, RotationCycle, SignUp
    from onboarding.models import OnboardingPlan, PlanTask
    from people.models import User

    person = User.objects.create(email=email, name=email.split("@")[0].title())
    mentor = User.objects.create(email="mentor-" + email, name="Mentor")
    start = dt.date(2027, 1, 4)
    plan = OnboardingPlan.objects.create(new_hire=person, start_date=start, timezone="UTC")
    pairings, stretches = items // 10, items // 20
    tasks = items - 3 * pairings - 2 * stretches
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            title=f"Task {i}",
            kind="setup",
            assignee_role="new_hire",
            assignee=person,
            due_offset=i,
            due_on=start + dt.timedelta(days=i),
        )
        for i in range(tasks)
    )
    ladder, _ = Ladder.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    for i in range(pairings):
        cycle = RotationCycle.objects.create(
            name=f"{email} cycle {i}",
            theme="Reliability",
            ladder=ladder,
            signup_opens_on="2027-01-01",
            signup_closes_on="2027-01-31",
            starts_on="2027-02-08",
            ends_on="2027-04-30",
            status="active",
            mentor_min_level="L3",
            mentee_min_level="L1",
            mentee_max_level="L2",
        )
        run = MatchRun.objects.create(cycle=cycle, status="done")
        Pairing.objects.create(
            run=run,
            cycle=cycle,
            score=1,
            status="published",
            mentor=SignUp.objects.create(cycle=cycle, person=mentor, role="mentor"),
            mentee=SignUp.objects.create(cycle=cycle, person=person, role="mentee"),
        )
    for i in range(stretches):
        assignment = StretchAssignment.objects.create(
            title=f"Stretch {i}",
            description="-",
            posted_by=mentor,
            hours_per_week=2,
            starts_on="2027-02-01",
            ends_on="2027-03-01",
        )
        StretchParticipation.objects.create(assignment=assignment, person=person, status="accepted")
    return person


def timed(client, url, repeat: int, **headers) -> tuple[float, int, int]:
    """Median milliseconds, queries of one request, and its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return statistics.median(times), len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-feed-") as tmp:
        support.setup_django(tmp)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from calendars.selectors import feed_items
        from calendars.services import feed_token_ensure

        settings.ALLOWED_HOSTS = ["*"]
        many = build_person("many@bench.example", args.items)
        few = build_person("few@bench.example", 3)
        client = Client()
        rows = []
        for person in (few, many):
            url = reverse("calendars:feed", args=[feed_token_ensure(person=person).token])
            first = client.get(url)
            full = timed(client, url, args.repeat)
            cached = timed(client, url, args.repeat, HTTP_IF_NONE_MATCH=first["ETag"])
            rows.append((person, len(feed_items(person=person)), len(first.content), full, cached))
        print(
            f"\n{connection.display_name} ({connection.vendor}); median of {args.repeat} requests"
        )
        print(f"{'items':>6}{'bytes':>9}{'200 ms':>9}{'queries':>9}{'304 ms':>9}{'queries':>9}")
        for _, items, size, full, cached in rows:
            assert full[2] == 200 and cached[2] == 304
            print(f"{items:>6}{size:>9,}{full[0]:>9.1f}{full[1]:>9}{cached[0]:>9.1f}{cached[1]:>9}")
        connection.close()


if __name__ == "__main__":
    main()
