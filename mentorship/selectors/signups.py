"""Reads for signing up: a sign-up with what its page shows, the choices its
form offers, and learning goals suggested from the person's ladder gaps."""

from django.db.models import Prefetch, QuerySet, Subquery

from ladders.gaps import biggest_gaps
from ladders.models import Competency, CompetencyRating, Revision, Side
from ladders.selectors.standing import current_placement, latest_final_assessment

from ..models import Preference, Role, RotationCycle, SignUp


def ladder_competencies(*, ladder_id: int) -> QuerySet[Competency]:
    """The competencies of the ladder's latest published revision, in one query:
    what a sign-up names (drafts still change, older revisions are history)."""
    latest = (
        Revision.objects.filter(ladder_id=ladder_id, status=Revision.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return Competency.objects.filter(revision=Subquery(latest)).order_by("position", "name")


def cycle_competencies(*, cycle: RotationCycle) -> QuerySet[Competency]:
    return ladder_competencies(ladder_id=cycle.ladder_id)


def suggested_goals(*, person, cycle: RotationCycle | None = None) -> list[Competency]:
    """The biggest gaps worth working on (ladders/gaps.py says which) on the
    person's latest finalised assessment, biggest first. Of the cycle's ladder,
    or without a cycle, of the ladder the person is placed on. Ratings are
    matched by competency code, so an assessment against an older revision
    still counts."""
    if cycle is not None:
        ladder_id = cycle.ladder_id
    else:
        placement = current_placement(person=person)
        if placement is None:
            return []
        ladder_id = placement.level.revision.ladder_id
    assessment = latest_final_assessment(person=person)
    if assessment is None:
        return []
    ratings = dict(
        CompetencyRating.objects.filter(assessment=assessment, side=Side.MANAGER).values_list(
            "competency__code", "rating"
        )
    )
    in_ladder_order = {c: ratings.get(c.code) for c in ladder_competencies(ladder_id=ladder_id)}
    return biggest_gaps(in_ladder_order)


def mentor_choices(*, cycle: RotationCycle, person=None) -> QuerySet[SignUp]:
    """The mentors signed up so far, for a mentee's ranked preferences."""
    mentors = SignUp.objects.filter(cycle=cycle, role=Role.MENTOR, status=SignUp.Status.ACTIVE)
    if person is not None:
        mentors = mentors.exclude(person=person)
    return mentors.select_related("person", "person__team").order_by("person__name", "pk")


def signup_get(*, signup_id: int) -> SignUp:
    preferences = Preference.objects.select_related("mentor__person").order_by("rank")
    return (
        SignUp.objects.select_related("cycle__ladder", "person__team")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("position", "name")),
            Prefetch("preferences", queryset=preferences),
        )
        .get(pk=signup_id)
    )


def signup_for(*, cycle: RotationCycle, person, status: str | None = None) -> SignUp | None:
    """The person's sign-up to the cycle (one at most), withdrawn or not unless asked."""
    signups = SignUp.objects.filter(cycle=cycle, person=person)
    if status is not None:
        signups = signups.filter(status=status)
    return signups.first()


def active_signup_for(*, cycle: RotationCycle, person) -> SignUp | None:
    return signup_for(cycle=cycle, person=person, status=SignUp.Status.ACTIVE)


def active_signups_by_cycle(*, person, cycles) -> dict[int, SignUp]:
    """The person's current sign-ups to the listed cycles, in one query."""
    signups = SignUp.objects.filter(person=person, cycle__in=cycles, status=SignUp.Status.ACTIVE)
    return {signup.cycle_id: signup for signup in signups}
