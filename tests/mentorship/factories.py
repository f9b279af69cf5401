"""Factories for rotations: cycles, sign-ups, runs and pairings."""

import datetime as dt

import factory
from django.utils import timezone

from ladders.models import Assessment, CompetencyRating, Side
from mentorship.models import (
    CheckIn,
    Feedback,
    MatchRun,
    Pairing,
    Preference,
    Role,
    RotationCycle,
    SignUp,
)
from mentorship.services.signups import signup_create
from tests.ladders.factories import LadderFactory, PlacementFactory
from tests.people.factories import UserFactory


class RotationCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotationCycle

    name = factory.Sequence(lambda n: f"Rotation {n}")
    theme = "Reliability"
    signup_opens_on = dt.date(2026, 11, 1)
    signup_closes_on = dt.date(2026, 11, 30)
    starts_on = dt.date(2026, 12, 7)
    ends_on = dt.date(2027, 1, 29)
    status = RotationCycle.Status.OPEN
    ladder = factory.SubFactory(LadderFactory, slug="engineering")
    mentor_min_level = "L3"
    mentee_min_level = "L1"
    mentee_max_level = "L3"
    min_level_gap = 1


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp
        skip_postgeneration_save = True

    cycle = factory.SubFactory(RotationCycleFactory)
    person = factory.SubFactory(UserFactory)
    role = Role.MENTEE
    goals = "Learn to design systems that survive failure."

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(extracted)


class MentorSignUpFactory(SignUpFactory):
    role = Role.MENTOR
    capacity = 1
    project_title = "Make the checkout retry safely"
    project_outcome = "Idempotent retries with a runbook."
    goals = ""


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    cycle = factory.SubFactory(RotationCycleFactory)
    status = MatchRun.Status.DONE


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    run = factory.SubFactory(MatchRunFactory)
    cycle = factory.SelfAttribute("run.cycle")
    mentor = factory.SubFactory(MentorSignUpFactory, cycle=factory.SelfAttribute("..cycle"))
    mentee = factory.SubFactory(SignUpFactory, cycle=factory.SelfAttribute("..cycle"))
    score = 10.0
    explanation = factory.LazyFunction(lambda: ["Teaches system design, your biggest gap."])


# --- sign-ups: preferences, levels and assessed gaps (issue 4, items 2 and 6) ----------


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    mentee = factory.SubFactory(SignUpFactory)
    mentor = factory.SubFactory(MentorSignUpFactory, cycle=factory.SelfAttribute("..mentee.cycle"))
    rank = 1


class PublishedPairingFactory(PairingFactory):
    status = Pairing.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


# The competencies of the sign-up tests' ladder (the conftest's `revision`).
COMPETENCIES = ("code", "design", "people", "delivery")
# The factory's sign-up window runs 1 to 30 November 2026: its middle.
MID_WINDOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


def autumn_cycle(revision, *, status=RotationCycle.Status.ACTIVE, **fields):
    """A cycle of the revision's ladder before the factory's: sign-ups 1 to 15
    September 2026, running 1 October to 20 December."""
    return RotationCycleFactory(
        ladder=revision.ladder,
        status=status,
        signup_opens_on=dt.date(2026, 9, 1),
        signup_closes_on=dt.date(2026, 9, 15),
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 12, 20),
        **fields,
    )


def competency(revision, code):
    return revision.competencies.get(code=code)


def place(person, revision, code: str, since=dt.date(2025, 1, 1)):
    """Put the person at a level (by code) of the revision."""
    return PlacementFactory(person=person, level=revision.levels.get(code=code), since=since)


def final_assessment(person, revision, ratings: dict[str, int], *, code="L2", manager=None):
    """A finalised assessment at a level of the revision, with the manager's
    ratings by competency code (and a self rating of 4 everywhere, which must
    not count)."""
    assessment = Assessment.objects.create(
        person=person,
        manager=manager or person.manager,
        level=revision.levels.get(code=code),
        status=Assessment.Status.FINAL,
        finalised_at=timezone.now(),
    )
    competencies = {c.code: c for c in revision.competencies.all()}
    CompetencyRating.objects.bulk_create(
        [
            CompetencyRating(
                assessment=assessment, competency=competencies[c], side=Side.MANAGER, rating=r
            )
            for c, r in ratings.items()
        ]
        + [
            CompetencyRating(
                assessment=assessment, competency=competencies[c], side=Side.SELF, rating=4
            )
            for c in ratings
        ]
    )
    return assessment


# --- check-ins and feedback (issue 4, items 5 and 7) ---------------------------------


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    pairing = factory.SubFactory(PublishedPairingFactory)
    person = factory.SelfAttribute("pairing.mentee.person")
    mood = CheckIn.Mood.ON_TRACK
    note = "We shipped the first retry path."
    answered_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    pairing = factory.SubFactory(PublishedPairingFactory)
    author = factory.SelfAttribute("pairing.mentee.person")
    project_landed = Feedback.Landed.YES
    learned = "How to design retries that never charge twice."
    would_pair_again = True


# --- match runs: people placed on the cycle's ladder and signed up --------------------


def signed_up(cycle, revision, *, role, level: str, goals=(), person=None, **fields):
    """An active sign-up of a person placed at ``level``, with competency codes
    ``goals`` (what a mentor teaches, what a mentee wants to learn)."""
    person = person or UserFactory()
    place(person, revision, level)
    factory_class = MentorSignUpFactory if role == Role.MENTOR else SignUpFactory
    competencies = list(revision.competencies.filter(code__in=goals))
    return factory_class(cycle=cycle, person=person, competencies=competencies, **fields)


def sign_up_mentor(cycle, person, revision, **fields):
    """The person offers a project teaching Design, through the sign-up service."""
    fields.setdefault("competencies", [competency(revision, "design")])
    fields.setdefault("project_title", "Make checkout retries safe")
    fields.setdefault("project_outcome", "Idempotent retries and a runbook.")
    return signup_create(cycle=cycle, person=person, role=Role.MENTOR, **fields)
