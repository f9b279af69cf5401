"""The Slack stand-in, and settings that point the app at it."""

import pytest

from tests.messaging.standin import SlackStandIn, running_standin


@pytest.fixture
def slack(settings):
    standin = SlackStandIn(users={})
    with running_standin(standin) as url:
        settings.SLACK_BOT_TOKEN = "xoxb-test-token"
        settings.SLACK_API_URL = url
        settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
        settings.SLACK_RATE_LIMIT_RETRIES = 2
        yield standin
