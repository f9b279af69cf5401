"""Record every person lifecycle event (people/hooks.py) instead of running
the real subscribers: `heard` lists (event, sorted ids) in the order
announced."""

import pytest

from people.hooks import EVENTS

HEARD: list[tuple[str, list[int]]] = []


def _recorder(event: str):
    def record(ids):
        HEARD.append((event, sorted(ids)))

    return record


heard_added = _recorder("person_added")
heard_leaving = _recorder("person_leaving")
heard_left = _recorder("person_left")
heard_returned = _recorder("person_returned")


@pytest.fixture
def heard(settings):
    HEARD.clear()
    # person_changed (fields per person) is not recorded here: its own
    # subscribers are tested in tests/onboarding (buddies, start dates).
    settings.PERSON_LIFECYCLE_SUBSCRIBERS = {
        event: [f"{__name__}.heard_{event.removeprefix('person_')}"]
        for event in EVENTS
        if event != "person_changed"
    }
    return HEARD
