"""Program health: for the people team only; participation, match rate,
scores and cross-team pairs counted right, cycle over cycle, in a number of
queries that does not grow with cycles or pairings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Pairing, RotationCycle, SignUp
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.mentorship.factories import (
    CheckInFactory,
    FeedbackFactory,
    MentorSignUpFactory,
    PairingFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.pages import main
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status
URL = reverse("mentorship:health")


def get(client, user):
    client.force_login(user)
    return client.get(URL)


def cycle_health(response, name: str):
    return next(c for c in response.context["program"].cycles if c.cycle.name == name)


# --- who sees it ---------------------------------------------------------------------------


def test_it_shows_program_health_to_the_people_team(client, org):
    response = get(client, org.hr)

    assert response.status_code == 200
    assert "Rotation program health" in main(response)


@pytest.mark.parametrize("role", ["engineer", "manager", "director", "cto", "peer"])
def test_it_answers_404_to_everyone_else(client, org, role):
    assert get(client, getattr(org, role)).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_says_so_when_no_cycle_has_opened(client, org):
    RotationCycleFactory(status=Status.DRAFT)

    assert "No cycle has opened yet" in main(get(client, org.hr))


# --- the numbers -----------------------------------------------------------------------------


@pytest.fixture
def winter(org):
    """Two mentors in Search, three mentees in Payments (and one who withdrew,
    one in Search); two published pairs, one of them across teams."""
    revision = published_ladder()
    level = {lv.code: lv for lv in revision.levels.all()}
    cycle = RotationCycleFactory(name="Winter rotation", status=Status.ACTIVE)

    def person(team, code, *, promoted_after_close=None):
        someone = UserFactory(team=team)
        PlacementFactory(person=someone, level=level[code], since=dt.date(2025, 1, 1))
        if promoted_after_close:
            PlacementFactory(
                person=someone, level=level[promoted_after_close], since=dt.date(2026, 12, 15)
            )
        return someone

    mentors = [
        MentorSignUpFactory(cycle=cycle, person=person(org.search, "L4")),
        MentorSignUpFactory(cycle=cycle, person=person(org.search, "L4")),
    ]
    mentees = [
        SignUpFactory(cycle=cycle, person=person(org.payments, "L2", promoted_after_close="L3")),
        SignUpFactory(cycle=cycle, person=person(org.payments, "L2")),
        SignUpFactory(cycle=cycle, person=person(org.search, "L1")),
    ]
    SignUpFactory(cycle=cycle, person=person(org.payments, "L1"), status=SignUp.Status.WITHDRAWN)
    first = PublishedPairingFactory(
        cycle=cycle, run__cycle=cycle, mentor=mentors[0], mentee=mentees[0], score=10.0
    )
    PublishedPairingFactory(
        cycle=cycle, run=first.run, mentor=mentors[1], mentee=mentees[2], score=30.0
    )
    # A proposal from an earlier run that was never published does not count.
    PairingFactory(cycle=cycle, run__cycle=cycle, mentor=mentors[1], mentee=mentees[1], score=99)
    return cycle


def test_it_counts_participants_match_rate_and_cross_team_pairs(client, org, winter):
    winter_health = cycle_health(get(client, org.hr), "Winter rotation")

    assert (winter_health.mentors, winter_health.mentees) == (2, 3)
    assert winter_health.pairs == 2
    assert winter_health.match_rate == pytest.approx(2 / 3)
    assert winter_health.cross_team == 1
    assert winter_health.average_score == pytest.approx(20.0)


def test_it_shows_the_figures_in_the_cycle_table(client, org, winter):
    page = main(get(client, org.hr))

    assert "67%" in page  # match rate
    assert "1 (50%)" in page  # pairs across teams
    assert "20.0" in page  # average score


def test_it_counts_participation_by_team(client, org, winter):
    winter_health = cycle_health(get(client, org.hr), "Winter rotation")

    by_team = {row.label: (row.mentors, row.mentees) for row in winter_health.by_team}
    assert by_team == {"Search": (2, 1), "Payments": (0, 2)}


def test_it_counts_participation_by_the_level_held_when_sign_ups_closed(client, org, winter):
    winter_health = cycle_health(get(client, org.hr), "Winter rotation")

    by_level = [(row.label, row.mentors, row.mentees) for row in winter_health.by_level]
    assert by_level == [
        ("L1 Engineer L1", 0, 1),
        ("L2 Engineer L2", 0, 2),  # one of them promoted to L3 after sign-ups closed
        ("L4 Engineer L4", 2, 0),
    ]


def test_it_puts_every_published_score_in_the_histogram(client, org, winter):
    response = get(client, org.hr)
    winter_health = cycle_health(response, "Winter rotation")

    assert sum(winter_health.score_counts) == 2
    assert winter_health.score_counts[0] == 1  # the lowest score opens the first bucket
    assert winter_health.score_counts[-1] == 1  # the highest closes the last
    labels = response.context["program"].bucket_labels
    assert labels[0].startswith("10.0 to") and labels[-1].endswith("to 30.0")


def test_it_shows_each_cycle_as_charts_with_tables_of_the_same_numbers(client, org, winter):
    page = main(get(client, org.hr))

    assert page.count("<svg viewBox=") == 6  # 3 across cycles, 3 for Winter
    assert 'role="img"' in page
    assert '<th scope="row">Search</th><td class="num">2</td><td class="num">1</td>' in page


def test_it_leaves_the_match_rate_out_until_pairings_are_published(client, org):
    cycle = RotationCycleFactory(name="Spring rotation", status=Status.REVIEW)
    SignUpFactory.create_batch(3, cycle=cycle)
    PairingFactory(cycle=cycle, run__cycle=cycle)

    spring = cycle_health(get(client, org.hr), "Spring rotation")

    assert spring.match_rate is None
    assert spring.mentees == 4  # three, and the proposed pairing's mentee


def test_it_compares_cycles_oldest_first_and_leaves_drafts_out(client, org):
    RotationCycleFactory(name="Later", starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 4, 30))
    RotationCycleFactory(name="Earlier")
    RotationCycleFactory(name="Draft", status=Status.DRAFT)

    names = [c.cycle.name for c in get(client, org.hr).context["program"].cycles]

    assert names == ["Earlier", "Later"]


def test_it_counts_feedback_per_cycle(client, org, winter):
    pairing = Pairing.objects.filter(cycle=winter, status=Pairing.Status.PUBLISHED).first()
    for landed, again in [("yes", True), ("yes", True), ("yes", False), ("partly", True)]:
        FeedbackFactory(
            pairing=PublishedPairingFactory(cycle=winter, run=pairing.run),
            project_landed=landed,
            would_pair_again=again,
        )
    FeedbackFactory(pairing=pairing, project_landed="no", would_pair_again=False)

    winter_health = cycle_health(get(client, org.hr), "Winter rotation")

    assert winter_health.feedback.shown
    assert winter_health.feedback.counts == {"yes": 3, "partly": 1, "no": 1, "again": 3}
    assert winter_health.feedback.share("yes") == pytest.approx(0.6)


# --- queries ---------------------------------------------------------------------------------


def build_cycles(first: int, count: int, teams):
    for n in range(first, first + count):
        cycle = RotationCycleFactory(
            name=f"Cycle {n}", status=Status.CLOSED if n % 2 else Status.ACTIVE
        )
        for k in range(3):
            pairing = PublishedPairingFactory(
                cycle=cycle,
                run__cycle=cycle,
                score=5.0 + n + k,
                mentor__person__team=teams[k % 3],
                mentee__person__team=teams[(k + 1) % 3],
            )
            FeedbackFactory(pairing=pairing)
            CheckInFactory(pairing=pairing)
            PlacementFactory(person=pairing.mentee.person)


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_it_reads_in_the_same_number_of_queries_for_2_and_6_cycles(client, org):
    teams = [TeamFactory(name=f"Team {n}") for n in range(3)]
    client.force_login(org.hr)
    build_cycles(0, 2, teams)
    with_two = page_queries(client)

    build_cycles(2, 4, teams)
    with_six = page_queries(client)

    assert len(client.get(URL).context["program"].cycles) == 6
    assert with_six == with_two
