"""Slack's Web API through the official slack-sdk: find people by email
(cached), open a DM or group DM, post. Errors are sorted in two: transient
(429, 5xx, the network) raise ``SlackUnavailable``, a ConnectionError the
job runner retries; anything Slack refuses for good (user_not_found,
channel_not_found, not_in_channel, invalid_auth...) raises ``SlackRefused``,
which is recorded and never retried."""

import logging
from urllib.error import URLError

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from .models import SlackUser

logger = logging.getLogger(__name__)

# Answers to an id that mean "the id we cached is stale": look the person up again
# once. (users_not_found is the lookup itself saying no: already fresh.)
STALE_ID_ERRORS = {"user_not_found", "channel_not_found", "cannot_dm_bot"}


class SlackUnavailable(ConnectionError):
    """Slack could not take the call now (rate limit, server error, network):
    the job runner retries it, no sooner than ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int = 0):
        super().__init__(message)
        self.retry_after = retry_after


class SlackRefused(Exception):
    """Slack answered and said no for good: retrying cannot help."""

    def __init__(self, error: str, detail: str = ""):
        super().__init__(f"{error}{': ' + detail if detail else ''}")
        self.error = error


def client() -> WebClient:
    """A client that waits out a short rate limit (Retry-After) and a 500/503
    itself before giving the job back to the runner."""
    return WebClient(
        token=settings.SLACK_BOT_TOKEN,
        base_url=settings.SLACK_API_URL.rstrip("/") + "/",
        timeout=settings.SLACK_TIMEOUT,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=settings.SLACK_RATE_LIMIT_RETRIES),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def call(api, method: str, **kwargs) -> dict:
    """``api.<method>(**kwargs)``, its errors sorted into transient and permanent."""
    try:
        return getattr(api, method)(**kwargs).data
    except SlackApiError as error:
        raise _sorted(error, method) from error
    except (URLError, OSError, SlackClientError) as error:
        raise SlackUnavailable(f"{method}: {error}") from error


def _sorted(error: SlackApiError, method: str) -> Exception:
    response = error.response
    status = getattr(response, "status_code", 0)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    if status == 429:
        retry_after = int(
            response.headers.get("Retry-After", response.headers.get("retry-after", 1))
        )
        return SlackUnavailable(f"{method}: rate limited", retry_after=retry_after)
    if status >= 500 or data.get("error") in {"ratelimited", "internal_error", "fatal_error"}:
        return SlackUnavailable(f"{method}: Slack answered {status} {data.get('error', '')}")
    return SlackRefused(data.get("error") or f"HTTP {status}", method)


def _retry_after(response) -> int:
    headers = {name.lower(): value for name, value in (response.headers or {}).items()}
    value = headers.get("retry-after", 1)
    value = value[0] if isinstance(value, list) else value
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


# --- people -----------------------------------------------------------------------------


def user_id(api, email: str, *, fresh: bool = False) -> str:
    """The Slack id of the person with this email, from the cache unless ``fresh``."""
    email = email.lower()
    if not fresh:
        cached = SlackUser.objects.filter(email=email).values_list("slack_id", flat=True).first()
        if cached:
            return cached
    try:
        data = call(api, "users_lookupByEmail", email=email)
    except SlackRefused as refusal:
        SlackUser.objects.filter(email=email).delete()
        raise SlackRefused(refusal.error, f"nobody in Slack with the email {email}") from refusal
    slack_id = data["user"]["id"]
    SlackUser.objects.update_or_create(email=email, defaults={"slack_id": slack_id})
    return slack_id


def post_to_people(api, emails: list[str], text: str) -> str:
    """A DM (one person) or a group DM (several); returns the message's ts.
    A refusal that says an id is stale looks everyone up again, once."""
    try:
        return _post_to_ids(api, [user_id(api, email) for email in emails], text)
    except SlackRefused as refusal:
        if refusal.error not in STALE_ID_ERRORS:
            raise
        logger.info("Slack ids may be stale (%s): looking %s up again", refusal.error, emails)
        return _post_to_ids(api, [user_id(api, email, fresh=True) for email in emails], text)


def _post_to_ids(api, ids: list[str], text: str) -> str:
    opened = call(api, "conversations_open", users=ids)
    return post_to_channel(api, opened["channel"]["id"], text)


def post_to_channel(api, channel: str, text: str) -> str:
    data = call(api, "chat_postMessage", channel=channel, text=text, unfurl_links=False)
    return data.get("ts", "")
