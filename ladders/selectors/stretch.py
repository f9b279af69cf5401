"""Reads about stretch assignments: browsing, applicants, a person's
participations and completed ones offered as evidence. Concurrent commitments
are counted in selectors/commitments.py."""

from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Competency, Revision, StretchAssignment, StretchParticipation

Participation = StretchParticipation


# --- assignments -------------------------------------------------------------------


def _count(condition: Q) -> Coalesce:
    """How many of an assignment's participations match. A subquery rather than
    Count() over a join, so filters that join competencies cannot multiply it."""
    matching = (
        Participation.objects.filter(condition, assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(matching, output_field=IntegerField()), 0)


class SeatCounts(TypedDict):
    seats_taken: int
    seats_left: int


if TYPE_CHECKING:  # django-stubs-ext is a dev dependency: for mypy only
    from django_stubs_ext import WithAnnotations

    # An assignment as stretch_list() reads it: with its seats counted.
    StretchWithSeats: TypeAlias = WithAnnotations[StretchAssignment, SeatCounts]


def stretch_list() -> "QuerySet[StretchWithSeats]":
    """Every assignment with what a card shows, in a fixed number of queries."""
    return (
        StretchAssignment.objects.select_related("team", "posted_by")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("position", "name"))
        )
        .annotate(seats_taken=_count(Q(status__in=Participation.HOLDS_SEAT)))
        .annotate(
            seats_left=ExpressionWrapper(F("seats") - F("seats_taken"), output_field=IntegerField())
        )
        .order_by("starts_on", "title", "pk")
    )


def stretch_open_list() -> "QuerySet[StretchWithSeats]":
    """Assignments people can still apply to (full ones included: they show as full)."""
    return stretch_list().filter(
        status=StretchAssignment.Status.OPEN, ends_on__gte=timezone.localdate()
    )


def stretch_get(*, assignment_id: int) -> "StretchWithSeats":
    return stretch_list().get(pk=assignment_id)


def stretch_posted_by(*, person) -> "QuerySet[StretchWithSeats]":
    """What a person posted, newest first, with how many applications wait for them."""
    return (
        stretch_list()
        .filter(posted_by=person)
        .annotate(waiting=_count(Q(status=Participation.Status.APPLIED)))
        .order_by("-ends_on", "title", "pk")
    )


# --- participations ----------------------------------------------------------------


def stretch_applicants(*, assignment: StretchAssignment) -> QuerySet[Participation]:
    """Who applied, for the poster and the people team: those waiting first."""
    rank = Case(
        When(status=Participation.Status.APPLIED, then=Value(0)),
        When(status=Participation.Status.ACCEPTED, then=Value(1)),
        When(status=Participation.Status.COMPLETED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        assignment.participations.select_related("person", "person__team")
        .annotate(rank=rank)
        .order_by("rank", "applied_at", "pk")
    )


def stretch_participation_get(*, participation_id: int) -> Participation:
    return Participation.objects.select_related("assignment", "person").get(pk=participation_id)


def participation_for(*, assignment: StretchAssignment, person) -> Participation | None:
    if not person.is_authenticated:
        return None
    return assignment.participations.filter(person=person).first()


def stretch_participations_for(*, person) -> QuerySet[Participation]:
    """A person's applications, current and past, with their assignments."""
    return (
        Participation.objects.filter(person=person)
        .select_related("assignment", "assignment__team", "assignment__posted_by")
        .prefetch_related(
            Prefetch(
                "assignment__competencies",
                queryset=Competency.objects.order_by("position", "name"),
            )
        )
        .order_by("-applied_at", "-pk")
    )


def completed_stretch_for(*, person, competency_code: str | None = None) -> QuerySet[Participation]:
    """Completed stretch assignments: the evidence an assessment may cite
    (CompetencyRating.stretch). With a code, only those that built that
    competency, in whichever ladder revision the assignment named it."""
    completed = stretch_participations_for(person=person).filter(
        status=Participation.Status.COMPLETED
    )
    if competency_code:
        built = StretchAssignment.objects.filter(competencies__code=competency_code)
        completed = completed.filter(assignment__in=built.values("pk"))
    return completed.order_by("-completed_at", "-pk")


# --- choices for forms and filters -------------------------------------------------


def stretch_competency_choices() -> QuerySet[Competency]:
    """Competencies of each ladder's latest published revision: what a new
    assignment may name (drafts still change, older revisions are history)."""
    latest = (
        Revision.objects.filter(
            ladder=OuterRef("revision__ladder"), status=Revision.Status.PUBLISHED
        )
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        Competency.objects.filter(revision=Subquery(latest))
        .select_related("revision__ladder")
        .order_by("revision__ladder__name", "position", "name")
    )


def competency_code_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for filtering across revisions: one entry per code,
    named as its newest published revision names it."""
    rows = (
        Competency.objects.filter(revision__status=Revision.Status.PUBLISHED)
        .order_by("code", "-revision__number")
        .values_list("code", "name")
    )
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code, name)
    return sorted(names.items(), key=lambda item: item[1].lower())
