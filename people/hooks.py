"""What other apps do when people are added or changed, without people importing them:
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


# Each handler receives, for each person changed, the names of the fields that
# changed ("manager", "start_date", ...), inside the transaction that changes
# them, and acts only on the fields it cares about. Registered today:
# onboarding's buddies_out_of_manager_chains ("manager": no buddy in the new
# hire's manager chain) and plans_follow_start_dates ("start_date").
PERSON_CHANGED_HANDLERS: list[Callable[[dict[int, set[str]]], None]] = []


def people_changed(changes: dict[int, set[str]]) -> None:
    changes = {person_id: fields for person_id, fields in changes.items() if fields}
    if not changes:
        return
    for handler in PERSON_CHANGED_HANDLERS:
        handler(changes)
