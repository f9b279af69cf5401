"""Rotation news on Slack: the pair's group message and the managers' DMs
when pairings are published, each once; runs finished or failed in the people
team's channel; a person who chose Slack only gets no email."""

import datetime as dt

import pytest
from django.core import mail

from mentorship.models import MatchRun
from mentorship.services.matching_run import match_run_execute
from mentorship.services.notifications import pairings_published_notify
from mentorship.services.slack import match_run_slack
from messaging.kinds import KINDS
from messaging.models import MessageText, SlackMessage
from messaging.preferences import contact_preference_set
from messaging.texts import render_text
from tests.mentorship.factories import (
    MatchRunFactory,
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.messaging.fixtures import send_recorded_slack_messages, slack

__all__ = ["slack"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(org, slack):
    for person, slack_id in ((org.peer, "UPEER"), (org.engineer, "UENG")):
        slack.users[person.email] = slack_id
    slack.users["manager@example.com"] = "UMGR"
    slack.users["other.manager@example.com"] = "UOTHER"
    cycle = RotationCycleFactory(
        name="Winter rotation", status="published", starts_on=dt.date(2027, 1, 11)
    )
    return PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer, project_title="Faster builds"),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
        explanation=["Pia teaches Testing, which Eli wants to learn."],
    )


def test_the_pair_gets_one_group_message_and_each_manager_a_dm(org, pairing, slack):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    send_recorded_slack_messages()

    channels = sorted(post["channel"] for post in slack.posts)
    assert channels == ["DUMGR", "DUOTHER", "GUENG-UPEER"]
    group = next(post["text"] for post in slack.posts if post["channel"] == "GUENG-UPEER")
    assert "Pia Laine and Eli Novak" in group
    assert "Faster builds" in group
    assert "Pia teaches Testing" in group
    assert "Kick-off:* Monday 11 January, 10:00" in group
    assert "/rotations/mine/" in group
    assert len(mail.outbox) == 4  # email too: both is the default


def test_each_manager_hears_which_reports_were_paired_with_whom(org, pairing, slack):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    send_recorded_slack_messages()

    dm = next(post["text"] for post in slack.posts if post["channel"] == "DUMGR")
    assert dm == (
        "Your reports' rotation pairings for *Winter rotation*:\n"
        "• Eli Novak (mentee) with Pia Laine\n"
        "<http://localhost:8000/rotations/team/|Your team's rotations>"
    )


def test_the_managers_dm_is_in_the_people_teams_words(org, pairing, slack):
    MessageText.objects.create(
        kind="pairing_published_manager",
        body="Hi {{ recipient.get_short_name }}: "
        "{% for person, role, pairing in rows %}{{ person.name }} in {{ cycle.name }}{% endfor %}",
    )

    pairings_published_notify(cycle_id=pairing.cycle_id)
    send_recorded_slack_messages()

    dm = next(post["text"] for post in slack.posts if post["channel"] == "DUOTHER")
    assert dm == "Hi Omar: Pia Laine in Winter rotation"


def test_publishing_twice_sends_nothing_more(org, pairing, slack):
    pairings_published_notify(cycle_id=pairing.cycle_id)
    send_recorded_slack_messages()
    pairings_published_notify(cycle_id=pairing.cycle_id)
    send_recorded_slack_messages()

    assert len(slack.posts) == 3
    assert SlackMessage.objects.count() == 3


def test_someone_who_chose_slack_only_gets_no_email(org, pairing):
    contact_preference_set(person=org.engineer, channel="slack")

    pairings_published_notify(cycle_id=pairing.cycle_id)

    assert "engineer@example.com" not in [m.to[0] for m in mail.outbox]
    assert SlackMessage.objects.filter(kind="pairing_published").count() == 1


def test_without_slack_nothing_changes(org, pairing, settings):
    settings.SLACK_BOT_TOKEN = ""
    contact_preference_set(person=org.engineer, channel="slack")

    pairings_published_notify(cycle_id=pairing.cycle_id)

    assert SlackMessage.objects.count() == 0
    assert "engineer@example.com" in [m.to[0] for m in mail.outbox]


def test_a_failed_run_is_told_in_the_people_team_channel(slack):
    cycle = RotationCycleFactory(name="Spring rotation", status="draft")
    run = MatchRunFactory(cycle=cycle, status=MatchRun.Status.PENDING)

    match_run_execute(match_run_id=run.pk)
    send_recorded_slack_messages()

    (post,) = slack.posts
    assert post["channel"] == "#people-team"
    assert f"Match run {run.pk} of *Spring rotation* failed" in post["text"]


def test_a_finished_run_is_told_once_with_its_figures(slack):
    run = MatchRunFactory(figures={"matched": 12}, unmatched=[{"signup": 1}, {"signup": 2}])

    match_run_slack(match_run_id=run.pk)
    match_run_slack(match_run_id=run.pk)
    send_recorded_slack_messages()

    (post,) = slack.posts
    assert "finished: 12 pairs, 2 people unmatched" in post["text"]


def test_the_run_messages_are_in_the_people_teams_words(slack):
    MessageText.objects.create(
        kind="match_run_done",
        body="{{ cycle.name }}: {{ pairs }} paired, {{ unmatched }} left over. <{{ link }}|Go>",
    )
    MessageText.objects.create(kind="match_run_failed", body="Run {{ run_id }} broke: {{ error }}")
    done = MatchRunFactory(
        cycle__name="Spring rotation", figures={"matched": 12}, unmatched=[{"signup": 1}]
    )
    failed = MatchRunFactory(status=MatchRun.Status.FAILED, error="The ladder changed.")

    for run in (done, failed):
        match_run_slack(match_run_id=run.pk)
    send_recorded_slack_messages()

    link = f"http://localhost:8000/admin/mentorship/matchrun/{done.pk}/change/"
    assert [post["text"] for post in slack.posts] == [
        f"Spring rotation: 12 paired, 1 left over. <{link}|Go>",
        f"Run {failed.pk} broke: The ladder changed.",
    ]
    assert set(SlackMessage.objects.values_list("kind", flat=True)) == {
        "match_run_done",
        "match_run_failed",
    }


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("match_run_done", "Match run 42 of *Spring rotation* finished: 12 pairs, 2 people"),
        ("match_run_failed", "Match run 42 of *Spring rotation* failed: The ladder changed"),
    ],
)
def test_the_run_messages_samples_render_for_the_preview(org, kind, expected):
    assert expected in render_text(kind, KINDS[kind].sample(org.engineer))
