"""Assessments: start one, let each side write and submit its ratings, finalise.

The person and their manager rate every competency of the revision the person
was placed on; once both have submitted, the manager finalises and the
assessment becomes read-only history.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from people.errors import ApplicationError

from .. import policies
from ..models import (
    Assessment,
    Competency,
    CompetencyRating,
    Placement,
    Rating,
    Side,
    StretchParticipation,
)
from ..selectors.standing import CURRENT_FIRST
from .notices import assessment_submitted_notify
from .requests import assessment_requests_answer, assessment_started_tell_manager


class MissingRatings(ApplicationError):
    """A submit refused because some competencies have no rating yet."""

    def __init__(self, competencies: list[Competency]):
        names = ", ".join(c.name for c in competencies)
        super().__init__(
            f"Rate every competency before submitting. Not rated yet: {names}.", field="rating"
        )
        self.competencies = competencies


# competency id -> (rating or None, evidence, completed stretch participation id or None)
RatingInput = tuple[int | None, str, int | None]


@transaction.atomic
def assessment_start(*, person, started_by) -> Assessment:
    """Open an assessment of the person against the level they hold now."""
    if not policies.can_start_assessment(started_by, person):
        raise ApplicationError(
            f"Only {person}, their managers or the people team can start their assessment."
        )
    placement = (
        Placement.objects.filter(person=person)
        .select_related("level")
        .order_by(*CURRENT_FIRST)
        .first()
    )
    if placement is None:
        raise ApplicationError(
            f"{person} has no level on a ladder yet; record their level before assessing them."
        )
    manager = person.manager
    if manager is None or not manager.is_active:
        raise ApplicationError(
            f"{person} has no manager to write the manager's side; record their manager first."
        )
    if Assessment.objects.filter(person=person).exclude(status=Assessment.Status.FINAL).exists():
        raise ApplicationError(_already_open(person))
    try:
        # A savepoint, so a concurrent start that wins the race leaves us a clean refusal.
        with transaction.atomic():
            assessment = Assessment(
                person=person, manager=manager, level=placement.level, started_by=started_by
            )
            assessment._history_user = started_by
            assessment.save()
    except IntegrityError:
        raise ApplicationError(_already_open(person)) from None
    competency_ids = Competency.objects.filter(revision_id=placement.level.revision_id).values_list(
        "id", flat=True
    )
    bulk_create_with_history(
        [
            CompetencyRating(assessment=assessment, competency_id=competency_id, side=side)
            for competency_id in competency_ids
            for side in Side.values
        ],
        CompetencyRating,
        batch_size=500,
        default_user=started_by,
    )
    assessment_requests_answer(assessment=assessment)
    if started_by.pk == person.pk:
        assessment_started_tell_manager(assessment=assessment)
    return assessment


def _already_open(person) -> str:
    return f"{person} already has an assessment in progress; finish that one first."


@transaction.atomic
def assessment_save_side(
    *,
    assessment: Assessment,
    side: str,
    author,
    ratings: Mapping[int, RatingInput],
    submit: bool,
) -> Assessment:
    """Save one side's ratings: as a draft (partial input is fine) or submitted
    (every competency rated). A submitted side never changes again."""
    # Locked, so two sides submitting at the same moment both see each other.
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_author(assessment, side, author)
    _check_still_open(assessment, side)
    rows = {
        row.competency_id: row
        for row in CompetencyRating.objects.filter(assessment=assessment, side=side)
        .select_related("competency")
        .order_by("competency__position", "competency__name")
    }
    _check_input(assessment, rows, ratings)
    changed = []
    for competency_id, (rating, evidence, stretch_id) in ratings.items():
        row = rows[competency_id]
        answer = (rating, (evidence or "").strip(), stretch_id)
        if answer != (row.rating, row.evidence, row.stretch_id):
            row.rating, row.evidence, row.stretch_id = answer
            changed.append(row)
    if submit:
        missing = [row.competency for row in rows.values() if row.rating is None]
        if missing:
            raise MissingRatings(missing)
    # Only the rows that changed: each one becomes a line of the audit log.
    bulk_update_with_history(
        changed,
        CompetencyRating,
        ["rating", "evidence", "stretch"],
        batch_size=500,
        default_user=author,
    )
    if submit:
        assessment._history_user = author
        _mark_submitted(assessment, side)
    return assessment


def _check_author(assessment: Assessment, side: str, author) -> None:
    if side not in Side.values:
        raise ApplicationError(f'Unknown side "{side}".', field="side")
    if side == Side.SELF and author.pk != assessment.person_id:
        raise ApplicationError(f"Only {assessment.person} writes their self-assessment.")
    if side == Side.MANAGER and author.pk != assessment.manager_id:
        raise ApplicationError(f"Only {assessment.manager} writes the manager's side.")


def _check_still_open(assessment: Assessment, side: str) -> None:
    if assessment.status == Assessment.Status.FINAL:
        raise ApplicationError("This assessment is finalised; it can no longer change.")
    submitted_at = (
        assessment.self_submitted_at if side == Side.SELF else assessment.manager_submitted_at
    )
    if submitted_at is not None:
        raise ApplicationError(
            f"This side was submitted on {submitted_at:%d %B %Y}; it can no longer change."
        )


def _check_input(assessment, rows, ratings: Mapping[int, RatingInput]) -> None:
    unknown = set(ratings) - set(rows)
    if unknown:
        raise ApplicationError(
            "These competencies are not part of this assessment: "
            + ", ".join(str(i) for i in sorted(unknown))
            + ".",
            field="competency",
        )
    for competency_id, (rating, _evidence, _stretch) in ratings.items():
        if rating is not None and rating not in Rating.values:
            raise ApplicationError(
                f"{rows[competency_id].competency.name}: {rating} is not on the scale "
                f"({min(Rating.values)} to {max(Rating.values)}).",
                field="rating",
            )
    cited = {stretch for _r, _e, stretch in ratings.values() if stretch is not None}
    completed = set(
        StretchParticipation.objects.filter(
            pk__in=cited,
            person_id=assessment.person_id,
            status=StretchParticipation.Status.COMPLETED,
        ).values_list("pk", flat=True)
    )
    if cited - completed:
        raise ApplicationError(
            f"Evidence can only cite stretch assignments {assessment.person} has completed.",
            field="stretch",
        )


def _mark_submitted(assessment: Assessment, side: str) -> None:
    now = timezone.now()
    if side == Side.SELF:
        assessment.self_submitted_at = now
    else:
        assessment.manager_submitted_at = now
    both_in = bool(assessment.self_submitted_at and assessment.manager_submitted_at)
    if both_in:
        assessment.status = Assessment.Status.REVIEW
    assessment.save(update_fields=["self_submitted_at", "manager_submitted_at", "status"])
    if both_in:
        assessment_submitted_notify(assessment=assessment)


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, manager, summary: str) -> Assessment:
    """The manager closes the assessment: their side's ratings become the final ones."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if manager.pk != assessment.manager_id:
        raise ApplicationError(f"Only {assessment.manager} can finalise this assessment.")
    if assessment.status == Assessment.Status.FINAL:
        raise ApplicationError("This assessment is already finalised; it can no longer change.")
    if assessment.status != Assessment.Status.REVIEW:
        raise ApplicationError(
            "Both sides must be submitted before the assessment can be finalised."
        )
    assessment.status = Assessment.Status.FINAL
    assessment.finalised_at = timezone.now()
    assessment.summary = summary.strip()
    assessment._history_user = manager
    assessment.save(update_fields=["status", "finalised_at", "summary"])
    return assessment
