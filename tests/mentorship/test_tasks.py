"""A rotation cycle under a real Celery worker on Redis: closing sign-ups
enqueues the run, the worker computes the proposal; a redelivered task
writes nothing twice."""

import pytest

from mentorship.models import MatchRun, Pairing, Role, RotationCycle
from mentorship.services.matching_run import cycle_close_and_match
from mentorship.tasks import match_run_execute_task
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import RotationCycleFactory, signed_up
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_cycle():
    revision = published_ladder(competencies=("design", "testing"))
    cycle = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.OPEN)
    for k, team in enumerate(["Search", "Identity", "Payments", "Billing", "Growth", "Ads"]):
        role = Role.MENTOR if k < 2 else Role.MENTEE
        person = UserFactory(team=TeamFactory(name=team))
        level = "L4" if role == Role.MENTOR else "L2"
        signed_up(
            cycle,
            revision,
            role=role,
            level=level,
            goals=("design",),
            person=person,
            **({"capacity": 2} if role == Role.MENTOR else {}),
        )
    return cycle


def run_done(cycle):
    return MatchRun.objects.filter(cycle=cycle, status=MatchRun.Status.DONE).exists()


def test_closing_sign_ups_gets_a_worker_to_propose_the_pairings(worker, open_cycle):
    hr = PeopleTeamFactory()

    run = cycle_close_and_match(cycle=open_cycle, by=hr)  # autocommit: enqueued at once

    assert wait_for(lambda: run_done(open_cycle))
    run.refresh_from_db()
    assert run.figures["matched"] == 4
    assert Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED).count() == 4
    open_cycle.refresh_from_db()
    assert open_cycle.status == RotationCycle.Status.REVIEW


def test_a_redelivered_run_task_writes_no_second_proposal(worker, open_cycle):
    run = cycle_close_and_match(cycle=open_cycle)
    assert wait_for(lambda: run_done(open_cycle))
    finished = MatchRun.objects.get(pk=run.pk).finished_at

    match_run_execute_task.delay(run.pk)  # as if the broker delivered it again
    # The worker takes tasks in order: once a later run is done, the repeat ran too.
    later = MatchRun.objects.create(cycle=open_cycle)
    match_run_execute_task.delay(later.pk)
    assert wait_for(lambda: MatchRun.objects.get(pk=later.pk).status == MatchRun.Status.DONE)

    assert Pairing.objects.filter(run=run).count() == 4
    assert MatchRun.objects.get(pk=run.pk).finished_at == finished
    assert Pairing.objects.filter(run=later).count() == 4
