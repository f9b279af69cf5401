"""Onboarding on Slack: the buddy introduction, held until the new hire's
first morning in their zone, and buddies not found in the people team's
channel, each once."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from messaging.models import SlackMessage
from messaging.services import slack_messages_due
from onboarding.services.buddies import buddies_choose
from tests.messaging.fixtures import send_recorded_slack_messages, slack
from tests.onboarding.test_buddies import TODAY, ladder, new_hire, payments, senior

__all__ = ["ladder", "payments", "senior", "slack"]

pytestmark = pytest.mark.django_db


def test_the_introduction_waits_for_the_first_morning_in_the_hires_zone(senior, payments, slack):
    buddy = senior("Bea Kim", payments)
    plan = new_hire("Nia Obi", payments, timezone="Asia/Tokyo")
    slack.users.update({"bea.kim@example.com": "UBEA", "nia.obi@example.com": "UNIA"})
    with time_machine.travel(TODAY, tick=False):
        buddies_choose(plans=[plan])
        buddies_choose(plans=[plan])  # a rerun records nothing more

    (message,) = SlackMessage.objects.filter(kind="buddy_introduction")
    tokyo_morning = dt.datetime(2026, 11, 30, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert message.send_after == tokyo_morning
    assert set(message.recipients.values_list("pk", flat=True)) == {buddy.pk, plan.new_hire_id}
    assert slack_messages_due(now=tokyo_morning - dt.timedelta(minutes=1)) == 0
    assert slack_messages_due(now=tokyo_morning) == 1

    send_recorded_slack_messages()
    (post,) = slack.posts
    assert post["channel"] == "GUBEA-UNIA"
    assert "Welcome Nia Obi! Bea Kim is your onboarding buddy" in post["text"]


def test_nobody_available_is_told_in_the_people_team_channel_once(payments, slack):
    plan = new_hire("Nia Obi", payments)
    with time_machine.travel(TODAY, tick=False):
        buddies_choose(plans=[plan])
        buddies_choose(plans=[plan])
    send_recorded_slack_messages()

    (post,) = slack.posts
    assert post["channel"] == "#people-team"
    assert "No onboarding buddy available for Nia Obi" in post["text"]
