"""Signing up to a rotation cycle: create, edit and withdraw a sign-up, and a
mentee's ranked mentor preferences. Only while the sign-up window is open,
and only by the person who signs up."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from people.errors import ApplicationError
from people.history import history_bulk_update

from ..models import Preference, Role, RotationCycle, SignUp
from ..selectors.eligibility import signup_eligibility, window_reason
from ..selectors.signups import cycle_competencies

MAX_PREFERENCES = 3
MAX_CAPACITY = 5
MAX_HOURS_PER_WEEK = 20


@dataclass
class _Answers:
    """What the person filled in; which fields count depends on the role."""

    competencies: list
    goals: str
    capacity: int
    project_title: str
    project_outcome: str
    hours_per_week: int
    preferences: list[SignUp]


@transaction.atomic
def signup_create(
    *,
    cycle: RotationCycle,
    person,
    role: str,
    competencies: Iterable = (),
    goals: str = "",
    capacity: int | None = None,
    project_title: str = "",
    project_outcome: str = "",
    hours_per_week: int = 2,
    preferences: Sequence[SignUp] = (),
) -> SignUp:
    """Sign the person up as a mentor or a mentee. A withdrawn sign-up to the
    same cycle is taken up again (one sign-up per person and cycle)."""
    if role not in Role.values:
        raise ApplicationError("Sign up as a mentor or as a mentee.", field="role")
    # Race condition: lock the person so two sign-ups, or a sign-up and an
    # accepted stretch assignment, count their commitments one at a time.
    get_user_model().objects.select_for_update().get(pk=person.pk)
    reasons = signup_eligibility(cycle=cycle, person=person, role=role)
    if reasons:
        raise ApplicationError(" ".join(reasons))
    signup = SignUp.objects.filter(cycle=cycle, person=person).first()
    signup = signup or SignUp(cycle=cycle, person=person)
    signup.role, signup.status = role, SignUp.Status.ACTIVE
    answers = _Answers(
        competencies=list(competencies),
        goals=goals,
        capacity=cycle.default_mentor_capacity if capacity is None else capacity,
        project_title=project_title,
        project_outcome=project_outcome,
        hours_per_week=hours_per_week,
        preferences=list(preferences),
    )
    return _save(signup, answers)


@transaction.atomic
def signup_update(
    *,
    signup: SignUp,
    by,
    competencies: Iterable | None = None,
    goals: str | None = None,
    capacity: int | None = None,
    project_title: str | None = None,
    project_outcome: str | None = None,
    hours_per_week: int | None = None,
    preferences: Sequence[SignUp] | None = None,
) -> SignUp:
    """Change a sign-up while the window is open. Whatever is left out stays."""
    signup = _locked_for_change(signup, by)
    answers = _Answers(
        competencies=list(signup.competencies.all() if competencies is None else competencies),
        goals=signup.goals if goals is None else goals,
        capacity=signup.capacity if capacity is None else capacity,
        project_title=signup.project_title if project_title is None else project_title,
        project_outcome=signup.project_outcome if project_outcome is None else project_outcome,
        hours_per_week=signup.hours_per_week if hours_per_week is None else hours_per_week,
        preferences=list(_preferred_mentors(signup) if preferences is None else preferences),
    )
    return _save(signup, answers)


@transaction.atomic
def signup_withdraw(*, signup: SignUp, by) -> SignUp:
    """Step back while the window is open. Mentees who ranked this mentor lose
    that preference, so their forms never offer someone who left."""
    signup = _locked_for_change(signup, by)  # the lock a mentee's preference also takes
    return _withdraw(signup)


@transaction.atomic
def signup_withdraw_for(*, signup: SignUp) -> SignUp:
    """The people team steps someone back (e.g. they left): like withdrawing, but
    not bound to the sign-up window. Preferences naming them go too."""
    signup = SignUp.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if signup.status == SignUp.Status.WITHDRAWN:
        return signup
    return _withdraw(signup)


def signups_withdraw_for(*, signups: QuerySet[SignUp]) -> list[SignUp]:
    """signup_withdraw_for for many sign-ups at once (the people who left in
    one batch), in a fixed number of queries."""
    locked = list(
        signups.select_for_update(of=("self",)).filter(status=SignUp.Status.ACTIVE).order_by("pk")
    )
    _withdraw_all(locked)
    return locked


def _withdraw(signup: SignUp) -> SignUp:
    _withdraw_all([signup])
    return signup


def _withdraw_all(signups: list[SignUp]) -> None:
    """Under the sign-ups' row locks, so no mentee can name these mentors meanwhile."""
    if not signups:
        return
    # A plain UPDATE skips auto_now: updated_at is given.
    history_bulk_update(
        signups, same={"status": SignUp.Status.WITHDRAWN, "updated_at": timezone.now()}
    )
    Preference.objects.filter(mentor__in=signups).delete()


@transaction.atomic
def signup_preferences_replace(
    *, signup: SignUp, by, mentors: Sequence[SignUp]
) -> list[Preference]:
    """Replace a mentee's ranked preferences: first choice first."""
    signup = _locked_for_change(signup, by)
    return _replace_preferences(signup, list(mentors))


# --- checks and writes --------------------------------------------------------------


def _locked_for_change(signup: SignUp, by) -> SignUp:
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("cycle", "person")
        .get(pk=signup.pk)
    )
    if signup.person_id != by.pk:
        raise ApplicationError("Only the person who signed up can change their sign-up.")
    if signup.status != SignUp.Status.ACTIVE:
        raise ApplicationError(
            f"This sign-up was withdrawn: sign up to {signup.cycle} again instead."
        )
    closed = window_reason(signup.cycle, signup.person)
    if closed:
        raise ApplicationError(f"{closed} Sign-ups can no longer change.")
    return signup


def _save(signup: SignUp, answers: _Answers) -> SignUp:
    _check_competencies(signup, answers.competencies)
    if signup.role == Role.MENTOR:
        _fill_mentor(signup, answers)
    else:
        _fill_mentee(signup, answers)
    signup.full_clean(exclude=["cycle", "person"], validate_unique=False)
    signup.save()
    signup.competencies.set(answers.competencies)
    if signup.role == Role.MENTEE:
        _replace_preferences(signup, answers.preferences)
    else:
        signup.preferences.all().delete()  # a former mentee's wishes no longer apply
    return signup


def _check_competencies(signup: SignUp, competencies: list) -> None:
    allowed = set(cycle_competencies(cycle=signup.cycle).values_list("pk", flat=True))
    if any(c.pk not in allowed for c in competencies):
        raise ApplicationError(
            f"Competencies must come from the latest published {signup.cycle.ladder} ladder.",
            field="competencies",
        )


def _fill_mentor(signup: SignUp, answers: _Answers) -> None:
    if not answers.competencies:
        raise ApplicationError("Tick at least one competency you can teach.", field="competencies")
    if not 1 <= answers.capacity <= MAX_CAPACITY:
        raise ApplicationError(f"Take between 1 and {MAX_CAPACITY} mentees.", field="capacity")
    if not answers.project_title.strip():
        raise ApplicationError(
            "Name the project you would work on together.", field="project_title"
        )
    if not answers.project_outcome.strip():
        raise ApplicationError(
            "Say what the project should deliver by the end of the rotation.",
            field="project_outcome",
        )
    if not 1 <= answers.hours_per_week <= MAX_HOURS_PER_WEEK:
        raise ApplicationError(
            f"Hours per week must be between 1 and {MAX_HOURS_PER_WEEK}.",
            field="hours_per_week",
        )
    signup.capacity = answers.capacity
    signup.project_title = answers.project_title.strip()
    signup.project_outcome = answers.project_outcome.strip()
    signup.hours_per_week = answers.hours_per_week
    signup.goals = ""


def _fill_mentee(signup: SignUp, answers: _Answers) -> None:
    goals = answers.goals.strip()
    if not answers.competencies and not goals:
        raise ApplicationError(
            "Tick at least one learning goal, or say in words what you want to learn.",
            field="competencies",
        )
    signup.goals = goals
    signup.capacity = 1
    signup.project_title = signup.project_outcome = ""


def _preferred_mentors(signup: SignUp) -> list[SignUp]:
    return [p.mentor for p in signup.preferences.select_related("mentor").order_by("rank")]


def _replace_preferences(signup: SignUp, mentors: list[SignUp]) -> list[Preference]:
    if mentors and signup.role != Role.MENTEE:
        raise ApplicationError("Only mentees rank the mentors they would prefer.")
    if len(mentors) > MAX_PREFERENCES:
        raise ApplicationError(f"Rank at most {MAX_PREFERENCES} mentors.", field="preferences")
    if len({m.pk for m in mentors}) != len(mentors):
        raise ApplicationError("Name each mentor only once.", field="preferences")
    _check_mentors(signup, mentors)
    signup.preferences.all().delete()
    return Preference.objects.bulk_create(
        Preference(mentee=signup, mentor=mentor, rank=rank)
        for rank, mentor in enumerate(mentors, start=1)
    )


def _check_mentors(signup: SignUp, mentors: list[SignUp]) -> None:
    """Race condition: lock the mentors' sign-ups (in id order, so two mentees
    never wait on each other) and re-check that they are active. A withdrawal
    holds the same row lock while it deletes the preferences pointing at it, so
    either it runs first and this check sees the withdrawal, or it runs second
    and deletes the preference this transaction wrote."""
    if not mentors:
        return
    valid = set(
        SignUp.objects.select_for_update(of=("self",))
        .filter(
            pk__in=[m.pk for m in mentors],
            cycle_id=signup.cycle_id,
            role=Role.MENTOR,
            status=SignUp.Status.ACTIVE,
        )
        .exclude(person_id=signup.person_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if any(m.pk not in valid for m in mentors):
        raise ApplicationError(
            "Preferred mentors must be signed up as mentors to this cycle; "
            "one of them may just have withdrawn.",
            field="preferences",
        )
