"""Scoring a cycle: each hard rule refuses the pair it should, scores follow the
documented weights, every pairing is explained and every person left out is
told why, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.models import StretchParticipation
from mentorship.matching import solve_with_stats
from mentorship.models import Role, RotationCycle
from mentorship.scoring import score_cycle
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    PreferenceFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
    final_assessment,
    signed_up,
)
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision():
    return published_ladder(competencies=("design", "testing", "people"))


@pytest.fixture
def cycle(revision):
    return RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, repeat_window=2
    )


def mentor(cycle, revision, level="L4", goals=("design", "testing"), **fields):
    return signed_up(cycle, revision, role=Role.MENTOR, level=level, goals=goals, **fields)


def mentee(cycle, revision, level="L2", goals=("design",), **fields):
    return signed_up(cycle, revision, role=Role.MENTEE, level=level, goals=goals, **fields)


def person(team="Payments", tz="Europe/London", **fields):
    return UserFactory(team=TeamFactory(name=team), timezone=tz, **fields)


def solved(cycle):
    scoring = score_cycle(cycle=cycle)
    result = solve_with_stats(
        scoring.edges(),
        scoring.capacity(),
        group_of=scoring.group_of(),
        group_cap=scoring.group_cap(),
    )
    return scoring, result.pairs


def reasons(scoring, pairs):
    return {row["signup"]: row["reason"] for row in scoring.unmatched(pairs)}


def edge_pairs(scoring):
    return {(mentor_id, mentee_id) for mentor_id, mentee_id, _ in scoring.edges()}


# --- an eligible pair, its score and its explanation ---------------------------------


def test_it_scores_and_explains_a_pair_by_gaps_preference_teams_and_timezone(cycle, revision):
    learner = person(team="Payments", tz="Europe/London")
    final_assessment(
        learner, revision, {"design": 1, "testing": 2, "people": 3}, manager=UserFactory()
    )
    teacher = mentor(cycle, revision, person=person(team="Search", tz="Europe/Berlin"))
    wish = mentee(cycle, revision, goals=("design", "testing"), person=learner)
    PreferenceFactory(mentee=wish, mentor=teacher, rank=1)

    scoring, pairs = solved(cycle)

    assert pairs == {wish.pk: teacher.pk}
    # Goals: 3 x (1 + 3) + 3 x (1 + 2) = 21; first choice 6; crossing teams 2;
    # London and Berlin share 7 working hours in December: 7 x 0.5 = 3.5.
    assert scoring.edges() == [(teacher.pk, wish.pk, 32.5)]
    assert scoring.explain(teacher.pk, wish.pk) == [
        "Teaches Design and Testing, your two biggest gaps",
        "Your first choice",
        "Crosses teams: Payments → Search",
        "7 working hours overlap (Europe/London / Europe/Berlin)",
    ]


def test_it_ranks_preferences_first_above_second_above_third(cycle, revision):
    wish = mentee(cycle, revision, person=person())
    ranked = [mentor(cycle, revision, person=person(team="Search")) for _ in range(4)]
    for rank, teacher in enumerate(ranked, start=1):
        PreferenceFactory(mentee=wish, mentor=teacher, rank=rank)

    scoring = score_cycle(cycle=cycle)

    scores = [scoring.score_of(teacher.pk, wish.pk) for teacher in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 4
    assert scoring.explain(ranked[1].pk, wish.pk)[1] == "Your second choice"
    assert scoring.explain(ranked[2].pk, wish.pk)[1] == "Your third choice"


def test_it_weighs_the_bigger_gap_higher(cycle, revision):
    learner = person()
    final_assessment(learner, revision, {"design": 1, "testing": 3}, manager=UserFactory())
    wish = mentee(cycle, revision, goals=("design", "testing"), person=learner)
    design = mentor(cycle, revision, goals=("design",), person=person(team="Search"))
    testing = mentor(cycle, revision, goals=("testing",), person=person(team="Search"))

    scoring = score_cycle(cycle=cycle)

    assert scoring.score_of(design.pk, wish.pk) > scoring.score_of(testing.pk, wish.pk)
    assert scoring.explain(design.pk, wish.pk)[0] == "Teaches Design, your biggest gap"
    assert (
        scoring.explain(testing.pk, wish.pk)[0] == "Teaches Testing, one of your two learning goals"
    )


def test_it_says_when_two_working_days_do_not_overlap(cycle, revision):
    wish = mentee(cycle, revision, person=person(tz="Europe/London"))
    teacher = mentor(cycle, revision, person=person(team="Search", tz="Asia/Tokyo"))

    scoring = score_cycle(cycle=cycle)

    assert (teacher.pk, wish.pk) in edge_pairs(scoring)
    assert scoring.explain(teacher.pk, wish.pk)[-1] == (
        "No working hours overlap (Europe/London / Asia/Tokyo)"
    )


# --- each hard rule refuses the pair it should ------------------------------------------


def test_it_refuses_a_mentor_not_enough_levels_above_the_mentee(cycle, revision):
    cycle.min_level_gap = 2
    cycle.save()
    wish = mentee(cycle, revision, level="L2", person=person())
    close = mentor(cycle, revision, level="L3", person=person(team="Search"))
    far = mentor(cycle, revision, level="L4", person=person(team="Search"))

    scoring = score_cycle(cycle=cycle)

    assert edge_pairs(scoring) == {(far.pk, wish.pk)}
    assert scoring.refusals(close.pk, wish.pk) == [
        f"{close.person} (L3) is not at least 2 levels above {wish.person} (L2)."
    ]


def test_it_refuses_a_mentor_in_the_mentees_manager_chain(org, revision):
    cycle = RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, require_cross_team=False
    )
    wish = mentee(cycle, revision, person=org.engineer)
    skip_level = mentor(cycle, revision, person=org.director)
    outsider = mentor(cycle, revision, person=org.other_manager)

    scoring = score_cycle(cycle=cycle)

    assert edge_pairs(scoring) == {(outsider.pk, wish.pk)}
    assert scoring.refusals(skip_level.pk, wish.pk) == [
        f"{org.director} is in {org.engineer}'s manager chain."
    ]


def test_it_tells_a_mentee_whose_only_senior_mentors_manage_them(org, revision):
    cycle = RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, require_cross_team=False
    )
    wish = mentee(cycle, revision, person=org.engineer)
    mentor(cycle, revision, person=org.director)
    mentor(cycle, revision, person=org.manager)

    scoring, pairs = solved(cycle)

    assert pairs == {}
    assert reasons(scoring, pairs)[wish.pk] == (
        "Every mentor senior enough who teaches Design is in your manager chain."
    )


def test_it_refuses_a_pair_published_within_the_repeat_window(cycle, revision):
    wish = mentee(cycle, revision, person=person())
    again = mentor(cycle, revision, person=person(team="Search"))
    long_ago = mentor(cycle, revision, person=person(team="Search"))
    fresh = mentor(cycle, revision, person=person(team="Search"))
    starts = [dt.date(2026, 9, 7), dt.date(2026, 6, 1), dt.date(2026, 3, 2)]
    previous = [
        RotationCycleFactory(
            ladder=revision.ladder,
            status=RotationCycle.Status.CLOSED,
            signup_opens_on=start - dt.timedelta(days=30),
            signup_closes_on=start - dt.timedelta(days=7),
            starts_on=start,
            ends_on=start + dt.timedelta(days=56),
        )
        for start in starts
    ]
    # Last cycle: inside the window of 2. Three cycles back: outside it.
    PublishedPairingFactory(
        run__cycle=previous[0],
        mentor__person=again.person,
        mentee__person=wish.person,
    )
    PublishedPairingFactory(
        run__cycle=previous[2],
        mentor__person=long_ago.person,
        mentee__person=wish.person,
    )

    scoring = score_cycle(cycle=cycle)

    assert edge_pairs(scoring) == {(long_ago.pk, wish.pk), (fresh.pk, wish.pk)}
    assert scoring.refusals(again.pk, wish.pk) == ["They were paired within the last 2 cycles."]


def test_it_refuses_a_same_team_pair_when_the_cycle_pairs_across_teams(cycle, revision):
    wish = mentee(cycle, revision, person=person(team="Payments"))
    teammate = mentor(cycle, revision, person=person(team="Payments"))

    scoring, pairs = solved(cycle)

    assert edge_pairs(scoring) == set()
    assert scoring.refusals(teammate.pk, wish.pk) == [
        "Both are on Payments, and this cycle pairs people across teams."
    ]
    assert reasons(scoring, pairs)[wish.pk] == (
        "Every mentor senior enough who teaches Design outside your manager chain is on "
        "your team (Payments), and this cycle pairs people across teams."
    )


def test_it_allows_a_same_team_pair_when_the_cycle_does_not_require_crossing(cycle, revision):
    cycle.require_cross_team = False
    cycle.save()
    wish = mentee(cycle, revision, person=person(team="Payments"))
    teammate = mentor(cycle, revision, person=person(team="Payments"))

    scoring = score_cycle(cycle=cycle)

    assert edge_pairs(scoring) == {(teammate.pk, wish.pk)}
    assert "Same team: Payments" in scoring.explain(teammate.pk, wish.pk)


def test_it_refuses_a_mentor_who_offered_no_capacity(cycle, revision):
    wish = mentee(cycle, revision, person=person())
    empty = mentor(cycle, revision, person=person(team="Search"), capacity=0)

    scoring, pairs = solved(cycle)

    assert edge_pairs(scoring) == set()
    found = reasons(scoring, pairs)
    assert (
        found[empty.pk] == "You offered no capacity (0 mentees), so no one can be paired with you."
    )
    assert found[wish.pk] == (
        "The one mentor who fits you is at their concurrent-commitment limit or offered no "
        "capacity."
    )


def test_it_refuses_people_already_at_their_commitment_limit(cycle, revision):
    busy_learner = person()
    for _ in range(2):
        StretchParticipation.objects.create(
            assignment=StretchAssignmentFactory(),
            person=busy_learner,
            status=StretchParticipation.Status.ACCEPTED,
        )
    busy_teacher = person(team="Search")
    StretchParticipation.objects.create(
        assignment=StretchAssignmentFactory(),
        person=busy_teacher,
        status=StretchParticipation.Status.ACCEPTED,
    )
    ongoing = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.ACTIVE)
    PublishedPairingFactory(run__cycle=ongoing, mentor__person=busy_teacher)
    stuck = mentee(cycle, revision, person=busy_learner)
    free = mentee(cycle, revision, person=person())
    busy = mentor(cycle, revision, person=busy_teacher, capacity=2)

    scoring, pairs = solved(cycle)

    assert edge_pairs(scoring) == set()
    found = reasons(scoring, pairs)
    limit = (
        "You are at the limit of 2 concurrent commitments (stretch assignments and "
        "rotations: 2 already)."
    )
    assert found[stuck.pk] == limit
    assert found[busy.pk] == limit
    # Refusals are read by the people team: about the person, not to them.
    assert scoring.refusals(busy.pk, free.pk) == [
        f"{busy.person} is at the limit of 2 concurrent commitments (stretch assignments "
        "and rotations: 2 already)."
    ]


def test_it_refuses_people_outside_the_cycles_level_rules(cycle, revision):
    too_senior = mentee(cycle, revision, level="L4", person=person())
    too_junior = mentor(cycle, revision, level="L2", person=person(team="Search"))
    unplaced = SignUpFactory(cycle=cycle, person=person())

    scoring, pairs = solved(cycle)

    found = reasons(scoring, pairs)
    assert found[too_senior.pk] == (
        "Your level L4 is outside this cycle's range for mentees (L1 to L3)."
    )
    assert found[too_junior.pk] == "Your level L2 is below this cycle's minimum for mentors (L3)."
    assert found[unplaced.pk] == (
        "You have no level on the Engineering ladder, so seniority cannot be compared."
    )


# --- every person gets a pairing with an explanation, or a reason ----------------------


def test_it_says_no_mentor_teaches_a_goal_this_cycle(cycle, revision):
    mentor(cycle, revision, goals=("design",), person=person(team="Search"))
    wish = mentee(cycle, revision, goals=("testing", "people"), person=person())

    scoring, pairs = solved(cycle)

    assert reasons(scoring, pairs)[wish.pk] == "No mentor teaches Testing or People this cycle."


def test_it_says_when_every_eligible_mentor_is_full(cycle, revision):
    teacher = mentor(cycle, revision, person=person(team="Search"))
    first = mentee(cycle, revision, goals=("design", "testing"), person=person())
    second = mentee(cycle, revision, goals=("design",), person=person(team="Identity"))

    scoring, pairs = solved(cycle)

    assert pairs == {first.pk: teacher.pk}
    assert reasons(scoring, pairs)[second.pk] == "Your one eligible mentor is full."


def test_it_says_when_the_team_cap_held_a_mentee_back(cycle, revision):
    cycle.max_mentees_per_team = 1
    cycle.save()
    mentor(cycle, revision, person=person(team="Search"))
    mentor(cycle, revision, person=person(team="Search"))
    mentee(cycle, revision, goals=("design", "testing"), person=person(team="Payments"))
    held = mentee(cycle, revision, goals=("design",), person=person(team="Payments"))

    scoring, pairs = solved(cycle)

    assert len(pairs) == 1
    assert reasons(scoring, pairs)[held.pk] == (
        "Team cap reached: Payments already has 1 mentee matched (the cap is 1)."
    )


def test_every_pairing_is_explained_and_everyone_left_out_has_a_specific_reason(org, revision):
    cycle = RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, max_mentees_per_team=2
    )
    teachers = [
        mentor(cycle, revision, goals=("design",), person=person(team="Search")),
        mentor(cycle, revision, goals=("testing",), person=person(team="Identity"), capacity=2),
        mentor(cycle, revision, goals=("people",), person=person(team="Search")),
        mentor(cycle, revision, person=org.director),
    ]
    learners = [
        mentee(cycle, revision, goals=("design",), person=person(team="Payments")),
        mentee(cycle, revision, goals=("testing",), person=person(team="Payments")),
        mentee(cycle, revision, goals=("testing",), person=person(team="Payments")),
        mentee(cycle, revision, goals=("design",), person=person(team="Billing")),
        mentee(cycle, revision, goals=("design",), person=org.engineer),
    ]

    scoring, pairs = solved(cycle)

    for mentee_id, mentor_id in pairs.items():
        lines = scoring.explain(mentor_id, mentee_id)
        assert lines[0].startswith("Teaches ")
        assert all(line.strip() for line in lines)
    left_out = reasons(scoring, pairs)
    everyone = {s.pk for s in teachers + learners}
    paired = set(pairs) | set(pairs.values())
    assert set(left_out) == everyone - paired
    generic = {"", "Not matched", "No eligible mentor."}
    assert all(reason not in generic and reason.endswith(".") for reason in left_out.values())


def test_it_scores_a_cycle_in_the_same_number_of_queries_for_5_and_20_sign_ups(revision):
    def queries_for(size):
        cycle = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.MATCHING)
        for k in range(size):
            role = Role.MENTOR if k % 3 == 0 else Role.MENTEE
            level = "L4" if role == Role.MENTOR else "L2"
            signed_up(cycle, revision, role=role, level=level, goals=("design",))
        with CaptureQueriesContext(connection) as captured:
            scoring = score_cycle(cycle=cycle)
        assert len(scoring.mentors) + len(scoring.mentees) == size
        return len(captured)

    assert queries_for(5) == queries_for(20)


def test_a_mentee_with_no_learning_goals_is_matched_on_the_other_reasons(cycle, revision):
    open_minded = mentee(cycle, revision, goals=(), person=person())
    teacher = mentor(cycle, revision, person=person(team="Search"))

    scoring, pairs = solved(cycle)

    assert pairs == {open_minded.pk: teacher.pk}
    assert scoring.explain(teacher.pk, open_minded.pk)[:2] == [
        "You named no learning goals, so this pair rests on what follows",
        "Crosses teams: Payments → Search",
    ]
