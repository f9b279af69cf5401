"""Factories for rotations: cycles, sign-ups, runs and pairings."""

import datetime as dt

import factory

from mentorship.models import MatchRun, Pairing, Role, RotationCycle, SignUp
from tests.ladders.factories import LadderFactory
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
