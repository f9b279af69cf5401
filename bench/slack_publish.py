"""Benchmark of Slack messages when a cycle's pairings are published: N pairs
(each with its own two managers), published through the Slack stand-in of
tests/messaging/standin.py with a rate limit like Slack's (a 429 with
Retry-After past R calls a second). Prints the seconds to record the
messages, the seconds to send them with W worker threads, how many 429s and
retries there were, and that every message was sent exactly once.

    .venv/bin/python bench/slack_publish.py [--pairs 1000] [--rate 50] [--workers 4]

Runs against DATABASE_URL (PostgreSQL for several workers: they race for
rows), else a fresh temporary SQLite file with one worker. Not a test.
"""

import argparse
import logging
import tempfile
import threading
import time

import support

TASK = "messaging.tasks.slack_message_send_task"


def build_cycle(pairs: int):
    """A published cycle with ``pairs`` pairings: 4 people a pair (mentor,
    mentee and a manager for each), in bulk."""
    from ladders.models import Ladder
    from mentorship.models import MatchRun, Pairing, RotationCycle, SignUp
    from people.models import User

    managers = User.objects.bulk_create(
        [User(email=f"manager{i}@bench.example", name=f"Manager {i}") for i in range(2 * pairs)]
    )
    people = User.objects.bulk_create(
        [
            User(email=f"person{i}@bench.example", name=f"Person {i}", manager=managers[i])
            for i in range(2 * pairs)
        ]
    )
    ladder = Ladder.objects.create(slug="bench", name="Bench")
    cycle = RotationCycle.objects.create(
        name="Bench spring",
        theme="Reliability",
        ladder=ladder,
        signup_opens_on="2027-01-01",
        signup_closes_on="2027-01-31",
        starts_on="2027-02-08",
        ends_on="2027-04-30",
        status=RotationCycle.Status.PUBLISHED,
        mentor_min_level="L3",
        mentee_min_level="L1",
        mentee_max_level="L2",
    )
    signups = SignUp.objects.bulk_create(
        [
            SignUp(cycle=cycle, person=person, role="mentor" if i % 2 == 0 else "mentee")
            for i, person in enumerate(people)
        ]
    )
    run = MatchRun.objects.create(cycle=cycle, status=MatchRun.Status.DONE)
    Pairing.objects.bulk_create(
        [
            Pairing(
                run=run,
                cycle=cycle,
                mentor=signups[2 * i],
                mentee=signups[2 * i + 1],
                score=1.0,
                explanation=["Cross-team pair."],
                status=Pairing.Status.PUBLISHED,
            )
            for i in range(pairs)
        ]
    )
    return cycle, {u.email: f"U{u.pk}" for u in managers + people}


def send_all(workers: int) -> dict[str, int]:
    """Play the workers: each takes the next due job and runs it as job_run
    does; a job handed back (429 beyond the worker's patience) runs again once
    its Retry-After has passed, as the relay would send it."""
    from django.db import connection
    from django.utils import timezone

    from core.jobs import job_run, task_named
    from core.models import Job

    task_named(TASK)  # import the tasks once, before the threads race to
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    waiting = Job.objects.filter(task=TASK, status=Job.Status.PENDING)
    while waiting.exists():
        job_ids = list(
            waiting.filter(available_at__lte=timezone.now())
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        def work(job_ids=job_ids):
            try:
                while True:
                    with lock:
                        if not job_ids:
                            return
                        job_id = job_ids.pop(0)
                    outcome = job_run(job_id=job_id)
                    with lock:
                        outcomes[outcome] = outcomes.get(outcome, 0) + 1
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.5)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1_000)
    parser.add_argument("--rate", type=int, default=50, help="calls a second before a 429")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp:
        support.setup_django(tmp)
        from django.conf import settings
        from django.db import connection

        import core.jobs
        from mentorship.services.notifications import pairings_published_notify
        from messaging.models import SlackMessage
        from tests.messaging.standin import SlackStandIn, running_standin

        support.require_no_people()
        workers = args.workers if connection.vendor == "postgresql" else 1
        # This script plays the workers itself: jobs are recorded, not sent to a broker.
        core.jobs.job_send = lambda *, job_id: True
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        for noisy in ("slack_sdk", "core.jobs"):  # a line per 429 and per retry
            logging.getLogger(noisy).setLevel(logging.ERROR)
        settings.JOBS_LEASE_SECONDS = 600
        cycle, slack_ids = build_cycle(args.pairs)
        standin = SlackStandIn(users=slack_ids, rate_limit=args.rate, retry_after=1)
        with running_standin(standin) as url:
            settings.SLACK_BOT_TOKEN = "xoxb-bench"
            settings.SLACK_API_URL = url
            started = time.perf_counter()
            pairings_published_notify(cycle_id=cycle.pk)
            recorded_seconds = time.perf_counter() - started
            started = time.perf_counter()
            outcomes = send_all(workers)
            send_seconds = time.perf_counter() - started

        messages = SlackMessage.objects.count()
        sent = SlackMessage.objects.filter(status=SlackMessage.Status.SENT).count()
        posts, calls = len(standin.posts), len(standin.calls)
        distinct = len({(p["channel"], p["text"]) for p in standin.posts})
        print(
            f"\n{connection.display_name} ({connection.vendor}); {args.pairs:,} pairs, "
            f"{workers} worker(s), stand-in limit {args.rate} calls/s, Retry-After 1 s"
        )
        print(f"messages recorded: {messages:,} in {recorded_seconds:.1f} s (with the emails)")
        print(f"sent: {sent:,} in {send_seconds:.1f} s = {sent / send_seconds:.1f} messages/s")
        print(f"API calls: {calls:,}; answered 429: {standin.rate_limited:,} (each waited out)")
        print(f"posts received: {posts:,}, distinct: {distinct:,} (nothing sent twice)")
        print(f"job runs: {outcomes} ('retry': handed back after a long 429, run again later)")
        connection.close()


if __name__ == "__main__":
    main()
