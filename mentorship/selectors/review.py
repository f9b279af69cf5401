"""Reads for the people team's review page: the decisions taken so far."""

from django.db.models import QuerySet

from ..models import PairExclusion, RotationCycle


def exclusions_of(*, cycle: RotationCycle) -> QuerySet[PairExclusion]:
    """The pairs removed in review, kept apart for the rest of the cycle."""
    return PairExclusion.objects.filter(cycle=cycle).select_related(
        "mentor__person", "mentee__person", "created_by"
    )
