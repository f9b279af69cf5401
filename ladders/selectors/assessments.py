"""Reads about assessments: a person's history, one assessment side by side,
and what a viewer still has to fill in or finalise. Expectations always come
from the revision the assessment was made against, never from a newer one."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ..models import (
    Assessment,
    AssessmentRequest,
    Competency,
    CompetencyRating,
    Expectation,
    Level,
    Side,
    StretchParticipation,
)
from .standing import next_level


def assessment_list(*, person) -> QuerySet[Assessment]:
    """The person's assessments, newest first, with the level and revision each was made at."""
    return (
        Assessment.objects.filter(person=person)
        .select_related("manager", "started_by", "level__revision__ladder")
        .order_by("-started_at", "-id")
    )


def assessment_get(*, assessment_id: int) -> Assessment:
    return Assessment.objects.select_related(
        "person", "manager", "started_by", "level__revision__ladder"
    ).get(pk=assessment_id)


def open_request(*, person) -> AssessmentRequest | None:
    """The person's request for an assessment that nobody has answered yet."""
    return (
        AssessmentRequest.objects.filter(
            person=person, kind=AssessmentRequest.Kind.ASK, answered_at__isnull=True
        )
        .select_related("manager")
        .first()
    )


def requests_waiting(*, manager) -> QuerySet[AssessmentRequest]:
    """Reports who asked this manager for an assessment, oldest first."""
    return (
        AssessmentRequest.objects.filter(
            manager=manager, kind=AssessmentRequest.Kind.ASK, answered_at__isnull=True
        )
        .select_related("person")
        .order_by("created_at", "id")
    )


def has_open_assessment(*, person) -> bool:
    return Assessment.objects.filter(person=person).exclude(status=Assessment.Status.FINAL).exists()


@dataclass
class AssessmentRow:
    """One competency of an assessment: what is expected, and each side's answer."""

    competency: Competency
    at_level: Expectation | None
    at_next: Expectation | None
    ratings: dict[str, CompetencyRating] = field(default_factory=dict)
    sides: list[str] = field(default_factory=list)

    @property
    def shown_ratings(self) -> list[CompetencyRating | None]:
        """The ratings of the sides the viewer reads, in the order of the columns."""
        return [self.ratings.get(side) for side in self.sides]

    @property
    def self_rating(self) -> CompetencyRating | None:
        return self.ratings.get(Side.SELF)

    @property
    def manager_rating(self) -> CompetencyRating | None:
        return self.ratings.get(Side.MANAGER)

    @property
    def difference(self) -> int | None:
        """How far apart the two ratings are; None unless both sides rated."""
        mine, theirs = self.self_rating, self.manager_rating
        if mine is None or theirs is None or mine.rating is None or theirs.rating is None:
            return None
        return abs(mine.rating - theirs.rating)

    @property
    def differs(self) -> bool:
        return bool(self.difference)


@dataclass
class AssessmentSheet:
    """An assessment with its competencies grouped by theme."""

    assessment: Assessment
    next_level: Level | None
    rows: list[AssessmentRow]

    @property
    def themes(self) -> list[tuple[str, list[AssessmentRow]]]:
        grouped: dict[str, list[AssessmentRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.competency.theme, []).append(row)
        return list(grouped.items())

    @property
    def difference_count(self) -> int:
        return sum(1 for row in self.rows if row.differs)


def assessment_sheet(*, assessment: Assessment, sides: list[str]) -> AssessmentSheet:
    """The assessment's rows with the ratings of the given sides only (the
    policy decides which sides a viewer reads). Four queries, however many
    competencies the ladder has."""
    level = assessment.level
    upper = next_level(level)
    levels = [level.pk] + ([upper.pk] if upper else [])
    cells = {
        (e.level_id, e.competency_id): e for e in Expectation.objects.filter(level_id__in=levels)
    }
    ratings = CompetencyRating.objects.filter(assessment=assessment, side__in=sides).select_related(
        "stretch__assignment"
    )
    by_competency: dict[int, dict[str, CompetencyRating]] = {}
    for rating in ratings:
        by_competency.setdefault(rating.competency_id, {})[rating.side] = rating
    competencies = Competency.objects.filter(revision_id=level.revision_id).order_by(
        "position", "name"
    )
    rows = [
        AssessmentRow(
            competency=competency,
            at_level=cells.get((level.pk, competency.pk)),
            at_next=cells.get((upper.pk, competency.pk)) if upper else None,
            ratings=by_competency.get(competency.pk, {}),
            sides=sides,
        )
        for competency in competencies
    ]
    return AssessmentSheet(assessment=assessment, next_level=upper, rows=rows)


def completed_stretches(*, person) -> QuerySet[StretchParticipation]:
    """Stretch assignments the person completed: what evidence may cite."""
    return (
        StretchParticipation.objects.filter(
            person=person, status=StretchParticipation.Status.COMPLETED
        )
        .select_related("assignment")
        .order_by("-completed_at", "-id")
    )


@dataclass
class Todo:
    assessment: Assessment
    task: str  # "self", "manager" or "finalise"

    @property
    def label(self) -> str:
        person = self.assessment.person
        if self.task == "self":
            return "Fill in your self-assessment"
        if self.task == "manager":
            return f"Fill in your side of {person}'s assessment"
        return f"Finalise {person}'s assessment"


def assessment_todo(*, viewer) -> list[Todo]:
    """What the viewer has to do: their own open self-assessment, the manager's
    side of their reports' open ones, and the ones in review to finalise. One query."""
    open_ = Assessment.Status.OPEN
    waiting = (
        Assessment.objects.filter(
            Q(person=viewer, status=open_, self_submitted_at__isnull=True)
            | Q(manager=viewer, status=open_, manager_submitted_at__isnull=True)
            | Q(manager=viewer, status=Assessment.Status.REVIEW)
        )
        .select_related("person", "manager", "level__revision__ladder")
        .order_by("started_at", "id")
    )
    return [Todo(assessment=a, task=_task_for(viewer, a)) for a in waiting]


def _task_for(viewer, assessment: Assessment) -> str:
    if assessment.status == Assessment.Status.REVIEW:
        return "finalise"
    if assessment.person_id == viewer.pk and assessment.self_submitted_at is None:
        return "self"
    return "manager"
