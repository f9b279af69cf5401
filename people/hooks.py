"""The person lifecycle's events, and who subscribes to them.

Every entry point (the admin, the CSV import, the API, SCIM provisioning and
the daily sweep of last days) changes people through `people/services/`,
and those services announce here what happened, inside their transaction.

Who listens is named in one place: `settings.PERSON_LIFECYCLE_SUBSCRIBERS`
(config/settings.py, the composition root, which may know every app), as
dotted paths resolved on first use. So `people` imports none of the apps
that depend on it, and a newcomer reads the whole wiring in one dict instead
of hunting through AppConfig.ready() methods.

Events; each subscriber receives the list of person ids:

- ``person_added``: people were created.
- ``person_leaving``: a last day was set, moved or cleared (the offboarding
  checklist is counted back from it). Also announced for someone who leaves
  at once, with today as their last day. Subscribers read the person's
  ``end_date``: an active person without one had their last day cleared and
  is not leaving any more, so what the leaving began is undone (an open
  offboarding checklist is cancelled).
- ``person_left``: people were deactivated, on their last day or at once:
  sign-in ended, and what they held is to be handed over.
- ``person_returned``: people were reactivated (rehired). Sign-in works
  again; nothing handed over comes back.
- ``person_changed``: people's fields changed. Its subscribers receive
  ``{person id: names of the fields that changed}`` instead of a list, and act
  only on the fields they care about (a new manager, a moved start date).

Subscribers run inside the transaction and only record what must happen (a
durable job, core/jobs.py) or make small writes of their own: an import that
is rolled back, or a dry run, leaves nothing behind. Each must be safe to run
twice for the same people.
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

EVENTS = ("person_added", "person_leaving", "person_left", "person_returned", "person_changed")

Subscriber = Callable[[Any], None]  # a list of ids; person_changed: {id: fields}


def announce(event: str, person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    if not ids:
        return
    for subscriber in subscribers(event):
        subscriber(ids)


def subscribers(event: str) -> list[Subscriber]:
    if event not in EVENTS:
        raise ValueError(f"Unknown person lifecycle event {event!r}; known: {', '.join(EVENTS)}.")
    return _resolved(tuple(settings.PERSON_LIFECYCLE_SUBSCRIBERS.get(event, ())))


@functools.cache
def _resolved(paths: tuple[str, ...]) -> list[Subscriber]:
    # Cached by the paths themselves, so override_settings in tests just works.
    return [import_string(path) for path in paths]


def people_added(person_ids: Iterable[int]) -> None:
    announce("person_added", person_ids)


def people_leaving(person_ids: Iterable[int]) -> None:
    announce("person_leaving", person_ids)


def people_left(person_ids: Iterable[int]) -> None:
    announce("person_left", person_ids)


def people_returned(person_ids: Iterable[int]) -> None:
    announce("person_returned", person_ids)


def people_changed(changes: dict[int, set[str]]) -> None:
    """Announce changed fields, person by person; nothing changed says nothing."""
    changes = {person_id: fields for person_id, fields in changes.items() if fields}
    if not changes:
        return
    for subscriber in subscribers("person_changed"):
        subscriber(changes)
