"""Factories for ladders: a small published ladder, a small ladder file, placements,
stretch assignments."""

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


def two_level_file(*competencies: tuple[str, str, str, str, str]) -> dict:
    """A ladder file's data (the exchange format): levels L1 and L2 of the
    engineering ladder, each competency given as (code, name, theme, L1 text,
    L2 text); expectations level by level."""
    return {
        "ladder": {"slug": "engineering", "name": "Engineering"},
        "levels": [
            {"code": "L1", "name": "Engineer I", "track": "ic"},
            {"code": "L2", "name": "Engineer II", "track": "ic"},
        ],
        "competencies": [
            {"code": code, "name": name, "theme": theme} for code, name, theme, *_ in competencies
        ],
        "expectations": [
            {"level": level, "competency": code, "text": texts[k]}
            for k, level in enumerate(("L1", "L2"))
            for code, _, _, *texts in competencies
        ],
    }


TESTING = ("testing", "Testing", "Craft", "Tests own changes.", "Chooses the right test.")
MENTORING = (
    "mentoring",
    "Mentoring",
    "Collaboration",
    "Learns from others.",
    "Pairs with teammates.",
)


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
