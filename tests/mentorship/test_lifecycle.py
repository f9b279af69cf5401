"""The daily beat on frozen dates: each cycle moves on its day, not before,
and only once, and each check-in and feedback email goes out once."""

import datetime as dt

import pytest
import time_machine

from config.celery_app import app
from mentorship.models import CheckIn, MatchRun, RotationCycle
from mentorship.tasks import cycles_advance_task
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status
# The factory's dates: sign-up 1-30 Nov 2026, rotation 7 Dec 2026 - 29 Jan 2027.
OPENS, CLOSES = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
STARTS, CHECKIN, ENDS = dt.date(2026, 12, 7), dt.date(2027, 1, 2), dt.date(2027, 1, 29)
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def tasks_run_in_process():
    """The tasks the beat enqueues run here, on commit, so their emails can be
    counted (the real worker is in test_lifecycle_tasks.py)."""
    app.conf.task_always_eager = True
    yield
    # Remove the override rather than set False: an override would shadow the
    # Django setting for every later test.
    del app.conf["task_always_eager"]


@pytest.fixture
def advance(django_capture_on_commit_callbacks):
    """Run the daily task as beat would, at 07:00 on the given day."""

    def run(day: dt.date) -> list[str]:
        moment = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return cycles_advance_task()

    return run


def status_of(cycle) -> str:
    cycle.refresh_from_db()
    return cycle.status


def published_cycle(org, **fields):
    fields.setdefault("name", "Winter rotation")
    fields.setdefault("status", Status.PUBLISHED)
    cycle = RotationCycleFactory(**fields)
    PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
    )
    return cycle


def subjects(mailoutbox, start: str) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox if m.subject.startswith(start))


def test_it_opens_a_draft_cycle_on_its_sign_up_day_and_only_once(advance):
    cycle = RotationCycleFactory(status=Status.DRAFT)

    assert advance(OPENS - ONE_DAY) == []
    assert status_of(cycle) == Status.DRAFT
    assert advance(OPENS) == [f"{cycle}: opened for sign-up"]
    assert status_of(cycle) == Status.OPEN
    assert advance(OPENS) == []
    assert status_of(cycle) == Status.OPEN


def test_it_closes_sign_ups_the_day_after_the_window_and_starts_one_match_run(advance):
    cycle = RotationCycleFactory(status=Status.OPEN)

    assert advance(CLOSES) == []
    assert status_of(cycle) == Status.OPEN
    assert MatchRun.objects.count() == 0

    assert advance(CLOSES + ONE_DAY) == [f"{cycle}: sign-ups closed, matching started"]
    assert advance(CLOSES + ONE_DAY) == []
    assert status_of(cycle) in {Status.MATCHING, Status.REVIEW}  # the run may be done already
    assert MatchRun.objects.filter(cycle=cycle).count() == 1


def test_it_starts_a_published_cycle_on_its_first_day(org, advance):
    cycle = published_cycle(org)

    advance(STARTS - ONE_DAY)
    assert status_of(cycle) == Status.PUBLISHED
    assert advance(STARTS) == [f"{cycle}: started"]
    assert status_of(cycle) == Status.ACTIVE
    assert advance(STARTS) == []


def test_it_leaves_a_cycle_in_review_for_the_people_team_to_publish(advance):
    cycle = RotationCycleFactory(status=Status.REVIEW)

    assert advance(ENDS + ONE_DAY) == []
    assert status_of(cycle) == Status.REVIEW


def test_it_asks_for_check_ins_from_the_middle_of_the_cycle_once(org, advance, mailoutbox):
    cycle = published_cycle(org, status=Status.ACTIVE)

    advance(CHECKIN - ONE_DAY)
    assert mailoutbox == []
    assert advance(CHECKIN) == [f"{cycle}: check-ins requested"]
    assert advance(CHECKIN) == []
    advance(CHECKIN + ONE_DAY)

    assert subjects(mailoutbox, "How is your rotation going?") == [
        "engineer@example.com",
        "peer@example.com",
    ]
    assert CheckIn.objects.filter(pairing__cycle=cycle).count() == 2


def test_it_closes_the_cycle_after_its_last_day_and_asks_for_feedback_once(
    org, advance, mailoutbox
):
    cycle = published_cycle(org, status=Status.ACTIVE)

    advance(ENDS)
    assert status_of(cycle) == Status.ACTIVE
    assert subjects(mailoutbox, "How did your rotation go?") == []

    assert advance(ENDS + ONE_DAY) == [f"{cycle}: closed", f"{cycle}: feedback requested"]
    assert advance(ENDS + ONE_DAY) == []
    advance(ENDS + 2 * ONE_DAY)

    assert status_of(cycle) == Status.CLOSED
    assert subjects(mailoutbox, "How did your rotation go?") == [
        "engineer@example.com",
        "peer@example.com",
    ]


def test_each_move_and_email_happens_once_when_beat_runs_every_day(org, advance, mailoutbox):
    cycle = published_cycle(org)
    seen: dict[str, dt.date] = {}
    day = STARTS - 3 * ONE_DAY
    while day <= ENDS + 20 * ONE_DAY:
        advance(day)
        advance(day)  # a second beat the same day (a restarted scheduler)
        seen.setdefault(status_of(cycle), day)
        day += ONE_DAY

    assert seen == {
        Status.PUBLISHED: STARTS - 3 * ONE_DAY,
        Status.ACTIVE: STARTS,
        Status.CLOSED: ENDS + ONE_DAY,
    }
    assert len(mailoutbox) == 4  # one check-in and one feedback email each
    assert subjects(mailoutbox, "How is") == ["engineer@example.com", "peer@example.com"]
    assert subjects(mailoutbox, "How did") == ["engineer@example.com", "peer@example.com"]


def test_it_catches_up_on_the_days_it_missed(org, advance, mailoutbox):
    draft = RotationCycleFactory(status=Status.DRAFT)
    published = published_cycle(org)

    advance(ENDS + 3 * ONE_DAY)  # the first beat in months

    assert status_of(published) == Status.CLOSED
    assert subjects(mailoutbox, "How did") == ["engineer@example.com", "peer@example.com"]
    assert subjects(mailoutbox, "How is") == []  # a check-in after the end makes no sense
    assert status_of(draft) == Status.DRAFT  # its window passed: its dates need fixing


def test_it_opens_a_draft_late_while_its_sign_up_window_lasts(advance):
    cycle = RotationCycleFactory(status=Status.DRAFT)

    advance(OPENS + 3 * ONE_DAY)

    assert status_of(cycle) == Status.OPEN


def test_it_asks_for_feedback_when_the_people_team_closed_the_cycle_by_hand(
    org, advance, mailoutbox
):
    recent = published_cycle(org, status=Status.CLOSED)
    published_cycle(
        org,
        name="Spring rotation",
        status=Status.CLOSED,
        signup_opens_on=dt.date(2026, 1, 1),
        signup_closes_on=dt.date(2026, 1, 31),
        starts_on=dt.date(2026, 2, 9),
        ends_on=dt.date(2026, 4, 3),
    )

    assert advance(ENDS + 5 * ONE_DAY) == [f"{recent}: feedback requested"]
    assert [m.subject for m in mailoutbox] == ["How did your rotation go? (Winter rotation)"] * 2


def test_a_cycle_the_admin_already_moved_is_left_alone(org, advance):
    cycle = published_cycle(org)
    RotationCycle.objects.filter(pk=cycle.pk).update(status=Status.ACTIVE)  # by hand, early

    assert advance(STARTS) == []
    assert status_of(cycle) == Status.ACTIVE
