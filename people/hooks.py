"""What other apps do when people are added, without people importing them:
dependencies point one way (people <- ladders <- onboarding), so those apps
register a handler here from their AppConfig.ready().
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction

# Each handler receives the ids of the people added, once the transaction that
# added them has committed (never for an import rolled back or a dry run).
PERSON_ADDED_HANDLERS: list[Callable[[list[int]], None]] = []


def people_added(person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    if not ids:
        return
    for handler in PERSON_ADDED_HANDLERS:
        # robust: the people are saved by then; a handler that fails (a broker
        # down) is logged instead of turning the save into an error page.
        transaction.on_commit(partial(handler, ids), robust=True)
