"""latest_manager_ratings, the one rule for "someone's latest finalised
ratings" that match runs and team grids read in bulk: the latest finalised
assessment only, the manager's side, by competency code across revisions."""

import pytest

from ladders.models import Assessment, CompetencyRating, Side
from ladders.selectors.standing import latest_manager_ratings
from people.models import User
from tests.ladders.factories import published_ladder
from tests.ladders.test_ladder_views import finalised
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision():
    return published_ladder()


@pytest.fixture
def people():
    boss = UserFactory()
    return boss, UserFactory(manager=boss), UserFactory(manager=boss)


def test_only_the_latest_finalised_assessment_counts(revision, people):
    boss, ana, ben = people
    l2 = revision.levels.get(code="L2")
    finalised(ana, boss, l2, {"code": 1, "design": 1}, days_ago=90)
    finalised(ana, boss, l2, {"code": 3}, days_ago=5)
    finalised(ben, boss, l2, {"design": 2}, days_ago=30)
    Assessment.objects.create(person=ben, manager=boss, level=l2)  # still open: not counted

    assert latest_manager_ratings(person_ids=[ana.pk, ben.pk]) == {
        ana.pk: {"code": 3},
        ben.pk: {"design": 2},
    }


def test_of_two_finalised_at_the_same_moment_the_later_recorded_counts(revision, people):
    boss, ana, _ = people
    l2 = revision.levels.get(code="L2")
    first = finalised(ana, boss, l2, {"code": 1})
    second = finalised(ana, boss, l2, {"code": 4})
    Assessment.objects.filter(pk=first.pk).update(finalised_at=second.finalised_at)

    assert latest_manager_ratings(person_ids=[ana.pk]) == {ana.pk: {"code": 4}}


def test_a_latest_assessment_without_manager_ratings_says_nothing(revision, people):
    # Not the older assessment's ratings instead: the latest is what stands.
    boss, ana, _ = people
    l2 = revision.levels.get(code="L2")
    finalised(ana, boss, l2, {"code": 2}, days_ago=60)
    latest = finalised(ana, boss, l2, {"code": 3}, days_ago=1)
    CompetencyRating.objects.filter(assessment=latest, side=Side.MANAGER).delete()

    assert latest_manager_ratings(person_ids=[ana.pk]) == {}


def test_unrated_competencies_are_left_out(revision, people):
    boss, ana, _ = people
    assessment = finalised(ana, boss, revision.levels.get(code="L2"), {"code": 2, "design": 3})
    CompetencyRating.objects.filter(
        assessment=assessment, side=Side.MANAGER, competency__code="design"
    ).update(rating=None)

    assert latest_manager_ratings(person_ids=[ana.pk]) == {ana.pk: {"code": 2}}


def test_ratings_line_up_by_code_across_revisions(revision, people):
    boss, ana, ben = people
    newer = published_ladder(slug="engineering", number=2)
    finalised(ana, boss, revision.levels.get(code="L2"), {"code": 3, "people": 1})
    finalised(ben, boss, newer.levels.get(code="L3"), {"code": 2})

    assert latest_manager_ratings(person_ids=User.objects.filter(manager=boss).values("pk")) == {
        ana.pk: {"code": 3, "people": 1},
        ben.pk: {"code": 2},
    }


def test_two_queries_whatever_the_number_of_people(revision, people, django_assert_num_queries):
    boss, *_ = people
    l2 = revision.levels.get(code="L2")
    for k in range(6):
        finalised(UserFactory(manager=boss), boss, l2, {"code": 1 + k % 4}, days_ago=k)
    ids = User.objects.filter(manager=boss).values("pk")

    with django_assert_num_queries(2):
        found = latest_manager_ratings(person_ids=ids)
    assert len(found) == 6
