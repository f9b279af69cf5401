"""Rotations as commitments: one per rotation a person is published in, until
its cycle closes, whatever the number of mentees a mentor takes. Counted by
ladders' commitment count (ladders/selectors/commitments.py), which finds
ROTATIONS named in settings.COMMITMENT_SOURCES (config/wiring.py)."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ladders.selectors.commitments import CommitmentSource

from ..models import Pairing, RotationCycle

# A published pairing is a commitment until its cycle closes.
ONGOING = (RotationCycle.Status.PUBLISHED, RotationCycle.Status.ACTIVE)


def _ongoing() -> QuerySet[Pairing]:
    # A pairing one of the two left is over for the other too.
    return Pairing.objects.filter(
        status=Pairing.Status.PUBLISHED, cycle__status__in=ONGOING, left_person__isnull=True
    )


def rotation_counts(person_ids: Iterable[int]) -> Counter:
    """Rotations per person id: distinct ongoing cycles they are published in,
    on either side, in one query."""
    rows = (
        _ongoing()
        .filter(Q(mentor__person_id__in=person_ids) | Q(mentee__person_id__in=person_ids))
        .values_list("cycle_id", "mentor__person_id", "mentee__person_id")
    )
    # Their partners come along in the rows: counting them too is harmless.
    seen = {(person_id, cycle_id) for cycle_id, *pair in rows for person_id in pair}
    return Counter(person_id for person_id, _ in seen)


def rotation_names(person) -> list[str]:
    """One name per rotation: "Autumn rotation, mentoring Ann and Bo"."""
    pairings = (
        _ongoing()
        .filter(Q(mentor__person=person) | Q(mentee__person=person))
        .select_related("cycle", "mentor__person", "mentee__person")
        .order_by("cycle__starts_on", "cycle_id", "pk")
    )
    mentoring: dict[RotationCycle, list[str]] = {}
    names: dict[RotationCycle, str] = {}
    for pairing in pairings:
        cycle = pairing.cycle
        if pairing.mentor.person_id == person.pk:
            mentoring.setdefault(cycle, []).append(str(pairing.mentee.person))
            names[cycle] = f"{cycle} rotation, mentoring {_and(mentoring[cycle])}"
        else:
            names[cycle] = f"{cycle} rotation, mentored by {pairing.mentor.person}"
    return list(names.values())


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


ROTATIONS = CommitmentSource(key="rotations", counts=rotation_counts, names=rotation_names)
