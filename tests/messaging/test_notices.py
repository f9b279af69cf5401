"""Every notice on the one path (messaging.notify), through the Slack
stand-in: each message goes by the channels its person chose, is sent once,
links to its page, is retried on a 429 and recorded when Slack refuses it
for good (user_not_found)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Job
from ladders.models import StretchParticipation
from ladders.services.assessments import assessment_save_side, assessment_start
from ladders.services.leavers import stretch_leaver_tell_poster
from ladders.services.requests import assessment_request, assessment_request_notify
from ladders.services.stretch import stretch_apply, stretch_decide
from mentorship.models import RotationCycle
from mentorship.services.notifications import checkins_send, feedback_request
from messaging.models import QueuedEmail, SlackMessage
from messaging.notify import notify, queued_email_send
from messaging.preferences import contact_preference_set
from messaging.services import slack_message_send
from onboarding.services.reminders import reminders_send
from tests.ladders.factories import PlacementFactory, StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.messaging.fixtures import deliver_notices
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 30)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def everyone_in_slack(org, slack):
    for number, person in enumerate(vars(org).values()):
        if hasattr(person, "email"):
            slack.users[person.email] = f"U{number}"
    return org


# --- what causes each notice: returns (its kind, who hears it, its page) --------------------


def _pairing(org, status):
    cycle = RotationCycleFactory(name="Winter rotation", status=status)
    return PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
    )


def digest(org):
    plan = OnboardingPlanFactory(new_hire=org.engineer, start_date=MONDAY)
    PlanTaskFactory(plan=plan, title="Set up your laptop", due_on=MONDAY)
    reminders_send(now=dt.datetime.combine(MONDAY, dt.time(9), tzinfo=LONDON))
    return "onboarding_digest", [org.engineer], "/onboarding/"


def checkin(org):
    pairing = _pairing(org, RotationCycle.Status.ACTIVE)
    checkins_send(cycle_id=pairing.cycle_id)
    return "checkin_request", [org.engineer, org.peer], f"/pairings/{pairing.pk}/checkin/"


def feedback(org):
    pairing = _pairing(org, RotationCycle.Status.CLOSED)
    feedback_request(cycle_id=pairing.cycle_id)
    return "feedback_request", [org.engineer, org.peer], f"/pairings/{pairing.pk}/feedback/"


def _placed(org):
    revision = published_ladder()
    PlacementFactory(person=org.engineer, level=revision.levels.get(code="L2"))


def assessment_asked(org):
    _placed(org)
    asked = assessment_request(person=org.engineer, note="Ready for L3")
    assessment_request_notify(request_id=asked.pk)
    return "assessment_request", [org.manager], f"/people/{org.engineer.pk}/assessments/"


def both_sides_submitted(org):
    _placed(org)
    assessment = assessment_start(person=org.engineer, started_by=org.manager)
    ratings = {c.pk: (3, "", None) for c in assessment.level.revision.competencies.all()}
    for side, author in (("self", org.engineer), ("manager", org.manager)):
        assessment_save_side(
            assessment=assessment, side=side, author=author, ratings=ratings, submit=True
        )
    return (
        "assessment_submitted",
        [org.engineer, org.manager],
        f"/assessments/{assessment.pk}/",
    )


def stretch_applied(org):
    assignment = StretchAssignmentFactory(posted_by=org.manager, title="Own the runbook")
    stretch_apply(assignment=assignment, person=org.engineer, motivation="To learn on-call")
    return "stretch_application", [org.manager], f"/stretch/{assignment.pk}/"


def stretch_decided(org):
    assignment = StretchAssignmentFactory(posted_by=org.manager, title="Own the runbook")
    applied = StretchParticipation.objects.create(  # applied earlier: only the decision here
        assignment=assignment, person=org.engineer, status="applied", motivation="To learn"
    )
    stretch_decide(participation=applied, decided_by=org.manager, accept=True)
    return "stretch_decision", [org.engineer], f"/stretch/{assignment.pk}/"


def stretch_seat_freed(org):
    assignment = StretchAssignmentFactory(posted_by=org.manager, title="Own the runbook")
    seat = StretchParticipation.objects.create(
        assignment=assignment, person=org.engineer, status="withdrawn"
    )
    stretch_leaver_tell_poster(participation_id=seat.pk)  # the job after a leaving
    return "stretch_leaver", [org.manager], f"/stretch/{assignment.pk}/"


CAUSES = [
    digest,
    checkin,
    feedback,
    assessment_asked,
    both_sides_submitted,
    stretch_applied,
    stretch_decided,
    stretch_seat_freed,
]


def slack_of(kind: str):
    return SlackMessage.objects.filter(kind=kind).order_by("pk")


@pytest.mark.parametrize("cause", CAUSES, ids=lambda cause: cause.__name__)
def test_each_notice_reaches_slack_and_email_once_with_its_link(everyone_in_slack, slack, cause):
    kind, people, path = cause(everyone_in_slack)

    deliver_notices()
    deliver_notices()  # a second worker pass sends nothing more
    for message in slack_of(kind):
        assert slack_message_send(message_id=message.pk) == "nothing to do"

    posted = [post for post in slack.posts if path in post["text"]]
    assert len(posted) == len(people)
    assert sorted(slack.users[p.email] for p in people) == sorted(
        post["channel"][1:] for post in posted
    )
    assert all(m.status == SlackMessage.Status.SENT for m in slack_of(kind))
    emailed = sorted(m.to[0] for m in mail.outbox if path in m.body)
    assert emailed == sorted(p.email for p in people)


@pytest.mark.parametrize("cause", CAUSES, ids=lambda cause: cause.__name__)
def test_someone_slack_does_not_know_is_recorded_and_not_retried(everyone_in_slack, slack, cause):
    slack.users.clear()  # nobody can be found: users_not_found, a permanent refusal

    kind, people, _ = cause(everyone_in_slack)
    outcomes = deliver_notices()

    messages = list(slack_of(kind))
    assert len(messages) == len(people)
    assert all(m.status == SlackMessage.Status.FAILED for m in messages)
    assert all("users_not_found" in m.error for m in messages)
    assert slack.count("users.lookupByEmail") == len(people)  # once each, never retried
    assert "failed" in outcomes
    assert slack.posts == []
    jobs = Job.objects.filter(task="messaging.tasks.slack_message_send_task")
    assert {job.status for job in jobs} == {Job.Status.FAILED}
    assert len(mail.outbox) >= len(people)  # the emails went all the same


@pytest.mark.parametrize("cause", CAUSES, ids=lambda cause: cause.__name__)
def test_a_429_is_waited_out_and_the_message_sent_once(everyone_in_slack, slack, cause):
    slack.retry_after = 0  # the client still waits (under a second), then tries again
    slack.fail_next("chat.postMessage", 429)

    kind, people, path = cause(everyone_in_slack)
    deliver_notices()

    assert slack.count("chat.postMessage") == len(slack.posts) + 1
    assert len([post for post in slack.posts if path in post["text"]]) == len(people)
    assert all(m.status == SlackMessage.Status.SENT for m in slack_of(kind))


# --- each person's choice ---------------------------------------------------------------


def test_each_person_hears_only_by_the_channel_they_chose(everyone_in_slack, slack):
    org = everyone_in_slack
    contact_preference_set(person=org.engineer, channel="slack")
    contact_preference_set(person=org.peer, channel="email")

    checkin(org)
    deliver_notices()

    assert [m.to for m in mail.outbox] == [[org.peer.email]]
    assert [post["channel"] for post in slack.posts] == [f"D{slack.users[org.engineer.email]}"]


def test_without_slack_a_notice_is_an_email_only(org, settings):
    settings.SLACK_BOT_TOKEN = ""

    stretch_applied(org)
    deliver_notices()

    assert not SlackMessage.objects.exists()
    assert [m.subject for m in mail.outbox] == ["Eli Novak applied to Own the runbook"]


def test_the_same_notice_recorded_twice_is_one_email_and_one_job(org):
    for _ in range(2):
        notify(notice="stretch_decision", key="decided-1", person=org.engineer, link="x")

    email = QueuedEmail.objects.get()
    assert Job.objects.filter(task="messaging.tasks.queued_email_send_task").count() == 1
    deliver_notices()
    assert queued_email_send(email_id=email.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_a_refused_address_is_recorded_and_shown_to_the_people_team(org, settings, client):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    notify(notice="stretch_decision", key="decided-1", person=org.engineer, link="x")

    assert deliver_notices() == ["failed"]
    assert deliver_notices() == []  # not retried

    email = QueuedEmail.objects.get()
    assert email.status == QueuedEmail.Status.FAILED
    assert "No such user" in email.error
    listing = reverse("admin:messaging_queuedemail_changelist") + "?status=failed"
    client.force_login(org.hr)
    assert "No such user" in client.get(listing).content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(listing).status_code == 404


class RefusingBackend:
    """The edge of the world: a mail server that refuses every recipient."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        from smtplib import SMTPRecipientsRefused

        raise SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in messages})
