"""A person's current rotations, counted against the concurrent-commitment
limit next to stretch assignments (registered in MentorshipConfig.ready())."""

from django.db.models import Q, QuerySet

from ..models import Pairing, RotationCycle

# A published pairing is a commitment until its cycle closes.
ONGOING = (RotationCycle.Status.PUBLISHED, RotationCycle.Status.ACTIVE)


def current_pairings(person) -> QuerySet[Pairing]:
    """Published pairings of a not yet closed cycle, on either side."""
    return (
        Pairing.objects.filter(status=Pairing.Status.PUBLISHED, cycle__status__in=ONGOING)
        .filter(Q(mentor__person=person) | Q(mentee__person=person))
        .order_by("cycle__starts_on", "pk")
    )


def rotation_commitment_count(person) -> int:
    return current_pairings(person).count()


def rotation_commitment_names(person) -> list[str]:
    pairings = current_pairings(person).select_related("cycle", "mentor__person", "mentee__person")
    return [_name(pairing, person) for pairing in pairings]


def _name(pairing: Pairing, person) -> str:
    if pairing.mentor.person_id == person.pk:
        return f"{pairing.cycle} rotation, mentoring {pairing.mentee.person}"
    return f"{pairing.cycle} rotation, mentored by {pairing.mentor.person}"
