"""What other apps do when people are added or change manager, without people importing them:
dependencies point one way (people <- ladders <- onboarding), so those apps
register a handler here from their AppConfig.ready().
"""

from collections.abc import Callable, Iterable

# Each handler receives the ids of the people added, inside the transaction
# that adds them, and only records what must happen (a durable job, see
# core/jobs.py): an import rolled back or a dry run records nothing, and the
# work is done once it commits, even if the broker is down at that moment.
PERSON_ADDED_HANDLERS: list[Callable[[list[int]], None]] = []


def people_added(person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    if not ids:
        return
    for handler in PERSON_ADDED_HANDLERS:
        handler(ids)


# Each handler receives the ids of people whose manager changed (so whose
# manager chain, and everyone's below them, changed), inside that transaction.
MANAGER_CHANGED_HANDLERS: list[Callable[[list[int]], None]] = []


def managers_changed(person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    if not ids:
        return
    for handler in MANAGER_CHANGED_HANDLERS:
        handler(ids)
