"""The ladder as people read it (issue 9): tracks in order, compare-next on
the same track, both levels' examples, the whole matrix, and gaps that show
only what matters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladders.gaps import GAP_LIMIT, biggest_gaps, gaps_worth_showing
from ladders.models import Track
from tests.ladders.factories import (
    ExpectationFactory,
    LevelFactory,
    PlacementFactory,
    published_ladder,
)
from tests.ladders.test_ladder_views import finalised, gap_list, level, main

pytestmark = pytest.mark.django_db


def two_track_ladder(slug="engineering"):
    """IC levels L1-L4 and manager levels M1, M2, positioned as the demo's
    interleave them (L1, L2, L3, M1, L4, M2)."""
    revision = published_ladder(levels=("L1", "L2", "L3", "L4"), slug=slug)
    revision.levels.filter(code="L4").update(position=4)
    for code, position in (("M1", 3), ("M2", 5)):
        manager_level = LevelFactory(
            revision=revision,
            code=code,
            name=f"Manager {code}",
            track=Track.MANAGER,
            position=position,
        )
        for competency in revision.competencies.all():
            ExpectationFactory(
                level=manager_level, competency=competency, examples=[f"{code} example"]
            )
    return revision


@pytest.fixture
def ladder(db):
    return two_track_ladder()


def url(name, revision, **query):
    path = reverse(f"ladders:{name}", args=[revision.ladder.slug])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- the rule for gaps --------------------------------------------------------------------


def test_every_competency_rated_3_shows_no_gap():
    assert gaps_worth_showing({f"c{i}": 3 for i in range(12)}) == []


def test_ratings_below_the_level_are_gaps_biggest_first_and_at_most_three():
    ratings = {"a": 2, "b": 1, "c": 3, "d": 2, "e": 2, "f": 4}
    assert gaps_worth_showing(ratings) == ["b", "a", "d", "e"]
    assert biggest_gaps(ratings) == ["b", "a", "d"]
    assert GAP_LIMIT == 3


def test_a_3_is_a_gap_only_where_at_least_half_already_work_at_the_next_level():
    assert gaps_worth_showing({"a": 4, "b": 4, "c": 3, "d": 3}) == ["c", "d"]
    assert gaps_worth_showing({"a": 4, "b": 3, "c": 3, "d": 3}) == []


def test_unrated_competencies_are_not_gaps():
    assert gaps_worth_showing({"a": None, "b": 2}) == ["b"]
    assert gaps_worth_showing({}) == []


# --- the ladder page -----------------------------------------------------------------------


def test_it_lists_the_levels_track_by_track_in_order(client, org, ladder):
    client.force_login(org.peer)
    body = main(client.get(url("ladder_detail", ladder)))
    ic, manager = body.index("Individual contributor track"), body.index("Manager track")
    codes = [body.index(f'<th scope="row">{c}</th>') for c in ("L1", "L2", "L3", "L4")]
    assert ic < codes[0] < codes[1] < codes[2] < codes[3] < manager
    assert manager < body.index('<th scope="row">M1</th>') < body.index('<th scope="row">M2</th>')


def test_compare_with_next_stays_on_the_track(client, org, ladder):
    client.force_login(org.peer)
    body = main(client.get(url("ladder_detail", ladder)))
    assert "?from=L3&amp;to=L4" in body and "?from=L3&amp;to=M1" not in body
    assert "?from=M1&amp;to=M2" in body
    assert body.count("Top of the track") == 2  # L4 and M2


def test_the_compare_page_defaults_to_the_next_level_on_the_same_track(client, org, ladder):
    client.force_login(org.peer)
    response = client.get(url("level_compare", ladder, **{"from": "L3"}))
    assert (response.context["lower"].code, response.context["upper"].code) == ("L3", "L4")
    top = client.get(url("level_compare", ladder, **{"from": "M2"}))
    assert (top.context["lower"].code, top.context["upper"].code) == ("M1", "M2")


def test_the_compare_page_shows_both_levels_examples(client, org, ladder):
    client.force_login(org.peer)
    body = main(client.get(url("level_compare", ladder, **{"from": "M1", "to": "M2"})))
    assert "M1 example" in body and "M2 example" in body
    assert '<optgroup label="Individual contributor">' in body
    crossing = main(client.get(url("level_compare", ladder, **{"from": "L3", "to": "M1"})))
    assert "These levels are on different tracks" in crossing


# --- the matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "manager", "peer", "hr"])
def test_it_shows_the_whole_matrix_to_every_colleague(client, org, ladder, role):
    client.force_login(getattr(org, role))
    response = client.get(url("ladder_matrix", ladder))
    assert response.status_code == 200
    body = main(response)
    assert (
        '<th scope="colgroup" colspan="4" class="matrix-track">Individual contributor</th>' in body
    )
    assert '<th scope="colgroup" colspan="2" class="matrix-track">Manager</th>' in body
    # Every level by every competency: 6 levels x 3 competencies.
    assert body.count("does Code well") + body.count("does Design well") == 12
    assert body.count("does People well") == 6
    assert body.index(">L4<") < body.index(">M1<")  # tracks side by side, not interleaved


def test_it_sends_anonymous_visitors_to_sign_in_from_the_matrix(client, ladder):
    response = client.get(url("ladder_matrix", ladder))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_answers_404_for_an_unknown_or_unpublished_ladder(client, org):
    client.force_login(org.peer)
    assert client.get(reverse("ladders:ladder_matrix", args=["nope"])).status_code == 404
    draft = published_ladder(slug="draft")
    draft.status = draft.Status.DRAFT
    draft.save()
    assert client.get(reverse("ladders:ladder_matrix", args=["draft"])).status_code == 404


def _matrix_queries(client, competencies: int, slug: str) -> int:
    revision = published_ladder(
        levels=("L1", "L2", "L3"), competencies=[f"c{i}" for i in range(competencies)], slug=slug
    )
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("ladder_matrix", revision)).status_code == 200
    return len(captured)


def test_it_builds_the_matrix_in_the_same_queries_for_3_and_12_competencies(client, org):
    client.force_login(org.peer)
    client.get(reverse("home"))  # the session and the viewer's roles are warm
    assert _matrix_queries(client, 3, "small") == _matrix_queries(client, 12, "large")


# --- gaps on the person's ladder page -------------------------------------------------------


def test_a_person_rated_3_everywhere_sees_no_gap_list_but_the_way_up(client, org, ladder):
    PlacementFactory(person=org.engineer, level=level(ladder, "L2"))
    finalised(org.engineer, org.manager, level(ladder, "L2"), {"code": 3, "design": 3, "people": 3})
    client.force_login(org.engineer)
    body = main(client.get(reverse("ladders:person_ladder", args=[org.engineer.pk])))
    assert 'class="gap-list"' not in body
    assert "No competency stands out" in body
    assert "3 of 3 are not yet at L3" in body


def test_it_lists_only_the_biggest_gaps_and_says_how_many_more(client, org):
    revision = published_ladder(competencies=[f"c{i}" for i in range(5)], slug="wide")
    PlacementFactory(person=org.engineer, level=level(revision, "L2"))
    ratings = {"c0": 2, "c1": 1, "c2": 2, "c3": 2, "c4": 4}
    finalised(org.engineer, org.manager, level(revision, "L2"), ratings)
    client.force_login(org.manager)
    body = main(client.get(reverse("ladders:person_ladder", args=[org.engineer.pk])))
    gaps = gap_list(body)
    assert gaps.count("<li>") == 3
    assert gaps.index("C1</strong>") < gaps.index("C0</strong>") < gaps.index("C2</strong>")
    assert "1 more gap of the same kind" in body
