"""Factories for ladders: a small published ladder, placements, stretch assignments."""

import datetime as dt

import factory

from ladders.models import (
    Competency,
    Expectation,
    Ladder,
    Level,
    Placement,
    Revision,
    StretchAssignment,
    Track,
)
from tests.people.factories import UserFactory


class LadderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ladder
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"ladder-{n}")
    name = factory.Sequence(lambda n: f"Ladder {n}")


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    ladder = factory.SubFactory(LadderFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = Revision.Status.PUBLISHED


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    revision = factory.SubFactory(RevisionFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    name = factory.LazyAttribute(lambda o: f"Engineer {o.code}")
    track = Track.IC
    position = factory.Sequence(lambda n: n)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    revision = factory.SubFactory(RevisionFactory)
    code = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    theme = "Craft"
    position = factory.Sequence(lambda n: n)


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    level = factory.SubFactory(LevelFactory)
    competency = factory.SubFactory(CompetencyFactory)
    text = factory.LazyAttribute(lambda o: f"{o.level.code} does {o.competency.name} well")
    examples = factory.LazyFunction(lambda: ["an example"])


def published_ladder(
    levels=("L1", "L2", "L3", "L4"),
    competencies=("code", "design", "people"),
    slug="engineering",
    number=1,
):
    """A published revision with every level x competency expectation filled in."""
    ladder = LadderFactory(slug=slug, name=slug.title())
    revision = RevisionFactory(ladder=ladder, number=number)
    level_rows = [
        LevelFactory(revision=revision, code=c, name=f"Engineer {c}", position=i)
        for i, c in enumerate(levels)
    ]
    competency_rows = [
        CompetencyFactory(
            revision=revision,
            code=c,
            name=c.title(),
            position=i,
            theme="Craft" if i % 2 == 0 else "Leadership",
        )
        for i, c in enumerate(competencies)
    ]
    for level in level_rows:
        for competency in competency_rows:
            ExpectationFactory(level=level, competency=competency)
    return revision


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    person = factory.SubFactory(UserFactory)
    level = factory.SubFactory(LevelFactory)
    since = dt.date(2025, 1, 1)


class StretchAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StretchAssignment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stretch assignment {n}")
    description = "Lead the migration of the billing service to the new queue."
    posted_by = factory.SubFactory(UserFactory)
    hours_per_week = 4
    seats = 1
    starts_on = dt.date(2026, 12, 1)
    ends_on = dt.date(2027, 2, 28)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(extracted)
