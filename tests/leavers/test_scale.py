"""Many leavers at once (a CSV, a SCIM batch): each app's hand-over costs the
same number of queries for 2 or 8 leavers, and hands over to each of them
what it would to one leaver."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Job
from ladders.models import StretchParticipation
from ladders.services.leavers import ladders_hand_over
from mentorship.models import Pairing, SignUp
from mentorship.services.leavers import rotations_hand_over
from messaging.models import SlackMessage
from onboarding.models import OnboardingPlan, PlanTask
from onboarding.services.leavers import plans_hand_over
from people.models import User
from tests.leavers import many
from tests.leavers.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return many.shared_org()


def leaver_in_everything(org, n: int) -> SimpleNamespace:
    """Deactivated without announcing it: the test calls the subscribers."""
    person = many.leaver_in_everything(org, name=f"Lee {n}", today=TODAY.date())
    User.objects.filter(pk=person.leaver.pk).update(is_active=False, end_date=TODAY.date())
    return person


def queries_of(subscriber, people: list[SimpleNamespace]) -> int:
    with CaptureQueriesContext(connection) as queries:
        subscriber([person.leaver.pk for person in people])
    return len(queries)


@pytest.mark.parametrize("subscriber", [plans_hand_over, ladders_hand_over, rotations_hand_over])
def test_a_hand_over_costs_the_same_queries_for_2_or_8_leavers(org, subscriber, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-test"  # the people team's channel hears of pairings
    settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
    few = queries_of(subscriber, [leaver_in_everything(org, n) for n in range(2)])
    many = queries_of(subscriber, [leaver_in_everything(org, n) for n in range(2, 10)])
    assert many == few


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def test_each_of_many_leavers_is_handed_over_as_one_would_be(org, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
    people = [leaver_in_everything(org, n) for n in range(8)]
    ids = [person.leaver.pk for person in people]
    plans_hand_over(ids)
    ladders_hand_over(ids)
    rotations_hand_over(ids)
    for p in people:
        assert fresh(p.own_plan).status == OnboardingPlan.Status.CANCELLED
        plan = fresh(p.buddied)
        assert (plan.buddy, plan.buddy_status) == (None, OnboardingPlan.BuddyStatus.PENDING)
        assert plan.buddy_note == f"{p.leaver} was the buddy and left on 25 November 2026."
        assert fresh(p.buddy_task).assignee is None
        assert fresh(p.pairing_task).partner is None
        assert fresh(p.managing_task).assignee == org.boss  # the leaver's manager
        reasons = PlanTask.history.filter(id=p.managing_task.pk)
        assert reasons.filter(history_change_reason=f"handed over: {p.leaver} left").exists()
        assert fresh(p.seat).status == StretchParticipation.Status.WITHDRAWN
        assert fresh(p.owed).manager == org.boss
        assert (fresh(p.asked).manager, fresh(p.asked).notified_at) == (org.boss, None)
        assert fresh(p.signup).status == SignUp.Status.WITHDRAWN
        assert fresh(p.pairing).left_person == p.leaver
        assert Pairing.history.filter(id=p.pairing.pk, history_change_reason=f"{p.leaver} left")
    jobs = sorted((job.task.rsplit(".", 1)[1], tuple(job.args)) for job in Job.objects.all())
    expected = sorted(
        [("plan_invitations_cancel_task", (p.own_plan.pk,)) for p in people]
        + [("buddy_replace_task", (p.buddied.pk, p.leaver.pk)) for p in people]
        + [("stretch_leaver_tell_poster_task", (p.seat.pk,)) for p in people]
        + [("assessment_request_notify_task", (p.asked.pk,)) for p in people]
        + [("kickoff_invitation_cancel_task", (p.pairing.pk,)) for p in people]
        + [("slack_message_send_task", (m.pk,)) for m in SlackMessage.objects.all()]
    )
    assert jobs == expected  # each one once
    posted = {
        key: (channel, text)
        for key, channel, text in SlackMessage.objects.values_list("key", "channel", "text")
    }
    assert posted == {
        f"slack:pairing-left:pairing-{p.pairing.pk}": ("#people-team", pairing_left_text(p))
        for p in people
    }


def pairing_left_text(p) -> str:
    """The default words, each pairing's own."""
    pairing = fresh(p.pairing)
    link = "http://localhost:8000" + reverse("mentorship:cycle_detail", args=[pairing.cycle_id])
    return (
        f":warning: {p.leaver.name} left: their published pairing {pairing} "
        f"in *{pairing.cycle}* needs a decision. <{link}|The cycle>"
    )
