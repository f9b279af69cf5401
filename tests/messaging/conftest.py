"""The Slack stand-in for these tests."""

from tests.messaging.fixtures import slack

__all__ = ["slack"]
