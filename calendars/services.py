"""The feed's token (made on first visit, reset on demand) and its
fingerprint, which moves Last-Modified only when the items really changed."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

import icalendar
from django.db import transaction
from django.utils import timezone

from messaging.invitations import PRODID, uid_for
from people.models import User

from .models import FeedToken
from .selectors import FeedItem


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def feed_token_ensure(*, person: User) -> FeedToken:
    feed, _ = FeedToken.objects.get_or_create(person=person, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def feed_token_reset(*, person: User) -> FeedToken:
    """A new secret: the old URL answers 404 from now on."""
    feed = FeedToken.objects.select_for_update().filter(person=person).first()
    if feed is None:
        return feed_token_ensure(person=person)
    feed.token = _new_token()
    feed.save(update_fields=["token"])
    return feed


def fingerprint_of(items: Sequence[FeedItem]) -> str:
    digest = hashlib.sha256()
    for item in items:
        digest.update(repr(item).encode())
    return digest.hexdigest()


def feed_fingerprint_refresh(*, feed: FeedToken, items: Sequence[FeedItem]) -> FeedToken:
    """Record the items' fingerprint; ``changed_at`` moves only when it differs."""
    fingerprint = fingerprint_of(items)
    if fingerprint != feed.fingerprint or feed.changed_at is None:
        # Second precision: HTTP dates have no fractions, and If-Modified-Since
        # compares against what we sent.
        feed.fingerprint = fingerprint
        feed.changed_at = timezone.now().replace(microsecond=0)
        FeedToken.objects.filter(pk=feed.pk).update(
            fingerprint=feed.fingerprint, changed_at=feed.changed_at
        )
    return feed


def feed_ics(*, person: User, items: Sequence[FeedItem], changed_at: dt.datetime) -> bytes:
    """A subscribable calendar (no METHOD: it is published, not an invitation);
    all-day events, so each shows on its date wherever the reader is."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Growth: {person}")
    calendar.add("x-wr-timezone", person.timezone)
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for item in items:
        event = icalendar.Event()
        event.add("uid", uid_for(item.uid))
        event.add("dtstamp", changed_at)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", ("✓ " if item.done else "") + item.summary)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
