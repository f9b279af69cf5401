"""Writes by the two people of a published pairing: the mid-cycle check-in
and the end-of-cycle feedback. Both are private to their author."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from people.errors import ApplicationError
from people.models import User

from ..models import CheckIn, Feedback, Pairing, RotationCycle

Status = RotationCycle.Status
FEEDBACK_OPEN = {Status.ACTIVE, Status.CLOSED}


def _require_participant(pairing: Pairing, person: User) -> None:
    if pairing.status != Pairing.Status.PUBLISHED:
        raise ApplicationError("This pairing is not published.")
    if person.pk not in {pairing.mentor.person_id, pairing.mentee.person_id}:
        raise ApplicationError("Only the two people of a pairing answer for it.")


def _day(day) -> str:
    return date_format(day, "j F Y")


def checkin_open(pairing: Pairing) -> bool:
    return pairing.cycle.status == Status.ACTIVE


def feedback_open(pairing: Pairing) -> bool:
    return pairing.cycle.status in FEEDBACK_OPEN


@transaction.atomic
def checkin_answer(*, pairing: Pairing, person: User, mood: str, note: str = "") -> CheckIn:
    """Record (or change, while the rotation runs) how the person says it goes."""
    _require_participant(pairing, person)
    if not checkin_open(pairing):
        raise ApplicationError(
            f"Check-ins are open while the rotation runs, from {_day(pairing.cycle.starts_on)} "
            f"to {_day(pairing.cycle.ends_on)}."
        )
    if mood not in CheckIn.Mood.values:
        raise ApplicationError("Choose how it goes.", field="mood")
    checkin, _ = CheckIn.objects.select_for_update().get_or_create(pairing=pairing, person=person)
    checkin.mood = mood
    checkin.note = note.strip()
    checkin.answered_at = timezone.now()
    checkin.full_clean()
    checkin.save()
    return checkin


@transaction.atomic
def feedback_submit(
    *,
    pairing: Pairing,
    author: User,
    project_landed: str,
    learned: str,
    would_pair_again: bool,
) -> Feedback:
    """One answer per person per pairing; once sent it is not changed."""
    _require_participant(pairing, author)
    if not feedback_open(pairing):
        raise ApplicationError(
            f"Feedback opens when the rotation starts, on {_day(pairing.cycle.starts_on)}."
        )
    feedback = Feedback(
        pairing=pairing,
        author=author,
        project_landed=project_landed,
        learned=learned.strip(),
        would_pair_again=would_pair_again,
    )
    feedback.full_clean(validate_constraints=False)
    try:
        # The unique constraint decides: a double submission from two tabs
        # must not leave two answers, and the check-then-insert could.
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ApplicationError("You already sent your feedback on this rotation.") from None
    return feedback
