"""The concurrent-commitment limit, in one place: how many commitments a
person may hold at once, how many they hold, and the sentence that refuses one
more. Every path that can start or grow a commitment asks here (stretch
applications and acceptances, rotation sign-ups, the match, the review's
edits, publishing).

What counts as one commitment:

- an accepted stretch assignment that has not ended;
- a mentorship rotation the person is published in and whose cycle is not
  closed: ONE per rotation, whatever the number of mentees a mentor takes
  (the cycle page promises exactly that).

Dependencies point one way (people <- ladders <- mentorship), so ladders
cannot count rotations itself: mentorship's CommitmentSource is named in
settings.COMMITMENT_SOURCES (config/wiring.py). A source counts in bulk (one
query for any number of people), so the match run and a single page use the
same code."""

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import StretchParticipation


@dataclass(frozen=True)
class CommitmentSource:
    """One kind of commitment: counts per person id (bulk), and names for one person."""

    key: str
    counts: Callable[[Iterable[int]], Mapping[int, int]]
    names: Callable[..., list[str]]


def commitment_limit() -> int:
    """How many stretch assignments and rotations a person may be on at once
    (settings.GROWTH_COMMITMENT_LIMIT, from the COMMITMENT_LIMIT variable)."""
    return int(getattr(settings, "GROWTH_COMMITMENT_LIMIT", 2))


# --- stretch assignments, the kind ladders owns ----------------------------------------


def _current_stretch():
    return StretchParticipation.objects.filter(
        status__in=StretchParticipation.ACTIVE,
        assignment__ends_on__gte=timezone.localdate(),
    )


def _stretch_counts(person_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        _current_stretch()
        .filter(person_id__in=person_ids)
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    return dict(rows)


def _stretch_names(person) -> list[str]:
    rows = _current_stretch().filter(person=person).order_by("assignment__starts_on", "pk")
    return list(rows.values_list("assignment__title", flat=True))


STRETCH = CommitmentSource(key="stretch", counts=_stretch_counts, names=_stretch_names)


@functools.cache
def sources() -> tuple[CommitmentSource, ...]:
    """Stretch assignments, then every kind settings.COMMITMENT_SOURCES names
    (resolved on first use, when every app is loaded)."""
    return (STRETCH, *(import_string(path) for path in settings.COMMITMENT_SOURCES))


# --- counting ----------------------------------------------------------------------------


def commitment_counts(*, person_ids: Iterable[int]) -> Counter:
    """Current commitments per person id, every kind added up: one query per kind.
    ``person_ids`` may be a list or a values() queryset."""
    counts: Counter = Counter()
    for source in sources():
        counts.update(source.counts(person_ids))
    return counts


def active_commitments(*, person) -> int:
    return commitment_counts(person_ids=[person.pk])[person.pk]


def commitment_names(*, person) -> list[str]:
    return [name for source in sources() for name in source.names(person)]


def commitment_room(*, person) -> int:
    """How many more commitments the person may take on (never below 0)."""
    return max(commitment_limit() - active_commitments(person=person), 0)


def commitment_refusal(
    *, person, by_self: bool, then: str = "Finish or withdraw from one first."
) -> str | None:
    """Why the person cannot take on one more commitment, or None if they can.
    ``by_self`` words it for the person (ending with ``then``); otherwise for
    whoever decides for them."""
    limit = commitment_limit()
    count = active_commitments(person=person)
    if count < limit:
        return None
    listed = _listed(commitment_names(person=person), count)
    plural = "commitment" if count == 1 else "commitments"
    if by_self:
        return (
            f"You already have {count} concurrent {plural} (the limit is {limit}): {listed}. {then}"
        )
    return (
        f"{person} already has {count} concurrent {plural} (the limit is {limit}): "
        f"{listed}. They need to finish or withdraw from one first."
    )


def _listed(names: list[str], count: int) -> str:
    """The commitments by name; a kind registered without names shows as a number."""
    parts = [f"“{name}”" for name in names]
    unnamed = count - len(names)
    if unnamed > 0:
        parts.append(f"{unnamed} more" if names else f"{unnamed} elsewhere")
    return ", ".join(parts)
