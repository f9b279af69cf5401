"""Writing stretch assignments: post, apply, decide, withdraw, complete.
Seats are counted under a lock on the assignment row, so they are never oversold."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from people.errors import ApplicationError

from .. import policies
from ..models import Competency, Revision, StretchAssignment, StretchParticipation
from ..selectors.commitments import commitment_refusal
from .notices import stretch_application_notify, stretch_decision_notify

Participation = StretchParticipation
MAX_HOURS_PER_WEEK = 40


@transaction.atomic
def stretch_post(
    *,
    posted_by,
    title: str,
    description: str,
    competencies: Iterable[Competency],
    team=None,
    hours_per_week: int,
    seats: int,
    starts_on: dt.date,
    ends_on: dt.date,
    cross_functional: bool = False,
) -> StretchAssignment:
    if not policies.can_post_stretch(posted_by):
        raise ApplicationError("Only managers and the people team can post stretch assignments.")
    competencies = list(competencies)
    _check_competencies(competencies)
    _check_dates(starts_on, ends_on)
    if not 1 <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise ApplicationError(
            f"Hours per week must be between 1 and {MAX_HOURS_PER_WEEK}.", field="hours_per_week"
        )
    assignment = StretchAssignment(
        title=title.strip(),
        description=description.strip(),
        team=team,
        posted_by=posted_by,
        hours_per_week=hours_per_week,
        seats=seats,
        starts_on=starts_on,
        ends_on=ends_on,
        cross_functional=cross_functional,
    )
    assignment.full_clean()
    assignment.save()
    assignment.competencies.set(competencies)
    return assignment


def _check_competencies(competencies: list[Competency]) -> None:
    if not competencies:
        raise ApplicationError(
            "Name at least one competency the assignment builds.", field="competencies"
        )
    # Completing an assignment is evidence against these competencies, so they
    # must come from a published revision, which never changes.
    named = Competency.objects.filter(pk__in=[c.pk for c in competencies])
    if named.exclude(revision__status=Revision.Status.PUBLISHED).exists():
        raise ApplicationError(
            "Competencies must come from a published ladder revision.", field="competencies"
        )


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ApplicationError("The end date is before the start date.", field="ends_on")
    if ends_on < timezone.localdate():
        raise ApplicationError("The end date has already passed.", field="ends_on")


@transaction.atomic
def stretch_apply(
    *, assignment: StretchAssignment, person, motivation: str
) -> StretchParticipation:
    """Apply for a seat. An application holds its seat until it is declined or
    withdrawn, so the poster never has more people to accept than seats."""
    # Race condition: lock the assignment row so concurrent applications queue
    # here and each counts the seats after the previous one took its seat.
    # A count-then-insert without the lock lets them all in.
    assignment = StretchAssignment.objects.select_for_update().get(pk=assignment.pk)
    _check_open(assignment, person)
    existing = Participation.objects.filter(assignment=assignment, person=person).first()
    _check_not_applied(existing, assignment)
    motivation = motivation.strip()
    if not motivation:
        raise ApplicationError(
            "Say in a sentence or two why you want this assignment.", field="motivation"
        )
    _check_seats(assignment)
    _check_commitments(person, by_self=True)
    participation = existing or Participation(assignment=assignment, person=person)
    participation.status = Participation.Status.APPLIED
    participation.motivation = motivation
    participation.applied_at = timezone.now()  # a renewed application counts from now
    participation.decided_at = None
    participation.full_clean()
    participation._history_user = person
    participation.save()
    stretch_application_notify(participation=participation)
    return participation


def _check_open(assignment: StretchAssignment, person) -> None:
    if assignment.posted_by_id == person.pk:
        raise ApplicationError("You posted this assignment, so you cannot apply to it.")
    if assignment.status != StretchAssignment.Status.OPEN:
        raise ApplicationError("This assignment is closed to applications.")
    if assignment.ends_on < timezone.localdate():
        raise ApplicationError(f"This assignment is over: it ended on {_day(assignment.ends_on)}.")


def _check_not_applied(existing: Participation | None, assignment: StretchAssignment) -> None:
    if existing is None or existing.status == Participation.Status.WITHDRAWN:
        return
    if existing.status == Participation.Status.DECLINED:
        raise ApplicationError(f"Your application to “{assignment}” was declined.")
    raise ApplicationError(
        f"You already applied to “{assignment}” "
        f"(your application is {existing.get_status_display().lower()})."
    )


def _check_seats(assignment: StretchAssignment) -> None:
    held = assignment.participations.filter(status__in=Participation.HOLDS_SEAT).count()
    if held < assignment.seats:
        return
    seats = assignment.seats
    taken = "The only seat is taken" if seats == 1 else f"All {seats} seats are taken"
    raise ApplicationError(
        f"{taken}. A seat frees up when someone withdraws or is declined: check back later."
    )


def _check_commitments(person, *, by_self: bool) -> None:
    refusal = commitment_refusal(person=person, by_self=by_self)
    if refusal:
        raise ApplicationError(refusal)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _locked(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("assignment", "person")
        .get(pk=participation.pk)
    )


@transaction.atomic
def stretch_decide(
    *, participation: StretchParticipation, decided_by, accept: bool
) -> StretchParticipation:
    """Accept or decline an application. Declining frees its seat."""
    participation = _locked(participation)
    if not policies.can_decide_stretch(decided_by, participation.assignment):
        raise ApplicationError("Only the poster or the people team can decide on applications.")
    if participation.status != Participation.Status.APPLIED:
        raise ApplicationError(
            f"{participation.person} is no longer waiting for a decision "
            f"(they are {participation.get_status_display().lower()})."
        )
    if accept:
        # Two posters accepting the same person at once would both see room
        # under the limit: lock the person so their commitments are counted
        # one decision at a time.
        get_user_model().objects.select_for_update().get(pk=participation.person_id)
        _check_commitments(participation.person, by_self=False)
        participation.status = Participation.Status.ACCEPTED
    else:
        participation.status = Participation.Status.DECLINED
    participation.decided_at = timezone.now()
    participation._history_user = decided_by  # the audit log says who decided
    participation.save(update_fields=["status", "decided_at"])
    stretch_decision_notify(participation=participation, decided_by=decided_by)
    return participation


@transaction.atomic
def stretch_withdraw(*, participation: StretchParticipation, person) -> StretchParticipation:
    """The applicant steps back, before or after being accepted: the seat frees up."""
    participation = _locked(participation)
    if participation.person_id != person.pk:
        raise ApplicationError("Only the applicant can withdraw their application.")
    if participation.status not in Participation.HOLDS_SEAT:
        raise ApplicationError(
            f"There is nothing to withdraw: your application is "
            f"{participation.get_status_display().lower()}."
        )
    participation.status = Participation.Status.WITHDRAWN
    participation._history_user = person
    participation.save(update_fields=["status"])
    return participation


@transaction.atomic
def stretch_complete(
    *, participation: StretchParticipation, by, outcome: str
) -> StretchParticipation:
    """Mark an accepted participation done. The completed participation is the
    evidence record: assessments cite it (CompetencyRating.stretch) against the
    competencies the assignment builds."""
    participation = _locked(participation)
    if not policies.can_decide_stretch(by, participation.assignment):
        raise ApplicationError("Only the poster or the people team can complete an assignment.")
    if participation.status != Participation.Status.ACCEPTED:
        raise ApplicationError(
            f"Only accepted participants can complete: {participation.person} is "
            f"{participation.get_status_display().lower()}."
        )
    outcome = outcome.strip()
    if not outcome:
        raise ApplicationError(
            "Describe what was done and learned: it becomes evidence in assessments.",
            field="outcome",
        )
    participation.status = Participation.Status.COMPLETED
    participation.completed_at = timezone.now()
    participation.outcome = outcome
    participation._history_user = by
    participation.save(update_fields=["status", "completed_at", "outcome"])
    return participation
