"""Nothing a person does is lost: with real processes (a private redis-server,
Celery workers as subprocesses with beat, PostgreSQL), work decided while
Redis is down is done once when it returns, and a match run whose worker is
killed is finished by another worker, once, within the bound."""

import os
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core.models import Heartbeat, Job
from mentorship.models import MatchRun, Notification, Pairing, Role, RotationCycle
from mentorship.services.matching_run import cycle_close_and_match, match_run_execute
from onboarding.models import OnboardingPlan
from people.models import User
from tests.core.conftest import FIGURES
from tests.core.processes import PrivateRedis, Worker, broker_at, wait_for
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import RotationCycleFactory, signed_up
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Job.Status
# Short lease and relay so the suite stays quick; bench/durability.py runs the
# same tests with the production defaults (DURABILITY_DEFAULTS=1).
if os.environ.get("DURABILITY_DEFAULTS"):
    FAST = {"JOBS_RELAY_SECONDS": "15", "JOBS_RESEND_SECONDS": "90", "JOBS_LEASE_SECONDS": "60"}
    TAKEOVER_BOUND = 120.0  # the aim: under 2 minutes
else:
    FAST = {"JOBS_RELAY_SECONDS": "2", "JOBS_RESEND_SECONDS": "5", "JOBS_LEASE_SECONDS": "6"}
    TAKEOVER_BOUND = 60.0


@pytest.fixture
def redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(name: str, redis_url: str, *, beat: bool) -> Worker:
        worker = Worker(name, redis_url, tmp_path, beat=beat, env=FAST)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def cycle_with_signups(revision, name: str, *, status=RotationCycle.Status.OPEN, mentees=4):
    cycle = RotationCycleFactory(ladder=revision.ladder, name=name, status=status)
    for k in range(2 + mentees):
        role = Role.MENTOR if k < 2 else Role.MENTEE
        person = UserFactory(team=TeamFactory(name=f"{name} team {k}"))
        signed_up(
            cycle,
            revision,
            role=role,
            level="L4" if role == Role.MENTOR else "L2",
            goals=("design",),
            person=person,
            **({"capacity": 2} if role == Role.MENTOR else {}),
        )
    return cycle


def admin_action(client, model: str, action: str, obj) -> int:
    url = reverse(f"admin:{model}_changelist")
    response = client.post(url, {"action": action, "_selected_action": [obj.pk]})
    return response.status_code


def all_done() -> bool:
    return Job.objects.exists() and not Job.objects.exclude(status=Status.DONE).exists()


def test_work_decided_while_redis_is_down_is_done_once_when_it_returns(
    client, redis, workers, settings
):
    settings.CACHES = {  # sign-in counts its rate limits in this Redis too
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    colleague = UserFactory(email="colleague@example.com")
    colleague.set_password("correct horse battery")
    colleague.save()
    EmailAddress.objects.create(user=colleague, email=colleague.email, verified=True, primary=True)
    revision = published_ladder(competencies=("design", "testing"))
    template = ChecklistTemplateFactory(name="Base", applies_to="everyone")
    TemplateItemFactory(template=template, title="Read the product tour", due_offset=0)
    hr = PeopleTeamFactory()
    manager = UserFactory(team=TeamFactory(name="Payments"))
    invitee = UserFactory(email="invitee@example.com")
    invitee.set_unusable_password()
    invitee.save()
    closing = cycle_with_signups(revision, "Closing")
    in_review = cycle_with_signups(revision, "In review")
    with broker_at(redis.url):  # computed here, before the outage
        run = cycle_close_and_match(cycle=in_review, by=hr)
        match_run_execute(match_run_id=run.pk)
    Job.objects.all().delete()
    worker = workers("outage", redis.url, beat=True)
    assert wait_for(lambda: Heartbeat.objects.filter(name="relay").exists(), timeout=60), (
        worker.output()
    )
    client.force_login(hr)

    with broker_at(redis.url):
        redis.stop()
        answers = {
            "add a new hire": client.post(
                reverse("admin:people_user_add"),
                {
                    "email": "new.hire@example.com",
                    "name": "Nia Hart",
                    "title": "Engineer",
                    "team": manager.team_id,
                    "manager": manager.pk,
                    "start_date": "2027-01-04",
                    "timezone": "Europe/London",
                    "_save": "Save",
                },
            ).status_code,
            "send an invitation": admin_action(client, "people_user", "send_invitations", invitee),
            "close sign-ups and match": admin_action(
                client, "mentorship_rotationcycle", "close_and_match", closing
            ),
            "publish": admin_action(client, "mentorship_rotationcycle", "publish", in_review),
            "sign in": Client()
            .post(
                reverse("account_login"),
                {"login": colleague.email, "password": "correct horse battery"},
            )
            .status_code,
        }
        waiting = Job.objects.filter(status=Status.PENDING).count()
        time.sleep(3)  # beat ticks and the relay tries while Redis is away
        redis.start()
        back = time.monotonic()
        finished = wait_for(all_done, timeout=150, every=0.5)
        took = time.monotonic() - back

    server_errors = sum(code >= 500 for code in answers.values())
    FIGURES.append(
        f"Redis down: {len(answers)} actions, {server_errors} answered 5xx; "
        f"{waiting} jobs recorded during the outage, "
        f"{Job.objects.filter(status=Status.DONE).count()} done after recovery in {took:.1f} s"
    )
    assert answers == dict.fromkeys(answers, 302)
    assert waiting == 4
    assert finished, (list(Job.objects.values("task", "status", "last_error")), worker.output())
    # Each job ran once, and what it was for happened once.
    assert set(Job.objects.values_list("attempts", flat=True)) == {1}
    new_hire = User.objects.get(email="new.hire@example.com")
    assert OnboardingPlan.objects.filter(new_hire=new_hire).count() == 1
    invitee.refresh_from_db()
    assert invitee.invitation_sent_at is not None
    assert MatchRun.objects.get(cycle=closing).status == MatchRun.Status.DONE
    published = Pairing.objects.filter(cycle=in_review, status=Pairing.Status.PUBLISHED)
    keys = set(
        Notification.objects.filter(key__startswith="published:").values_list("key", flat=True)
    )
    assert published.count() == 4
    assert {f"published:cycle-{in_review.pk}:pairing-{p.pk}" for p in published} <= keys


def hold_row_lock(cycle_id: int, held: threading.Event, release: threading.Event) -> None:
    """Keep the cycle locked (as a long computation would keep the worker busy)."""
    try:
        with transaction.atomic():
            RotationCycle.objects.select_for_update().get(pk=cycle_id)
            held.set()
            release.wait(timeout=120)
    finally:
        connection.close()


def test_a_match_run_whose_worker_is_killed_is_finished_by_another_worker_once(redis, workers):
    revision = published_ladder(competencies=("design", "testing"))
    cycle = cycle_with_signups(revision, "Winter", mentees=6)
    with broker_at(redis.url):
        run = cycle_close_and_match(cycle=cycle, by=PeopleTeamFactory())
    held, release = threading.Event(), threading.Event()
    locker = threading.Thread(target=hold_row_lock, args=(cycle.pk, held, release))
    locker.start()
    assert held.wait(timeout=10)
    try:
        doomed = workers("doomed", redis.url, beat=False)
        running = Job.objects.filter(task__endswith="match_run_execute_task", status=Status.RUNNING)
        assert wait_for(running.exists, timeout=60), doomed.output()
        time.sleep(0.5)  # inside the run now, waiting on the cycle
        doomed.kill()
        killed = time.monotonic()
    finally:
        release.set()
        locker.join()
    workers("rescuer", redis.url, beat=True)

    done = wait_for(
        lambda: MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.DONE).exists(),
        timeout=TAKEOVER_BOUND + 30,
    )
    took = time.monotonic() - killed

    FIGURES.append(
        f"Worker killed (SIGKILL, whole group) mid match run: finished by another worker "
        f"{took:.1f} s later (lease {FAST['JOBS_LEASE_SECONDS']} s, relay every "
        f"{FAST['JOBS_RELAY_SECONDS']} s)"
    )
    assert done
    assert took < TAKEOVER_BOUND
    run.refresh_from_db()
    # The run commits before its job is marked done (the task, then the runner).
    job = Job.objects.filter(task__endswith="match_run_execute_task")
    assert wait_for(job.filter(status=Status.DONE).exists, timeout=10)
    assert job.get().attempts == 2
    assert Pairing.objects.filter(run=run).count() == run.figures["matched"] == 4
    assert MatchRun.objects.filter(cycle=cycle).count() == 1
