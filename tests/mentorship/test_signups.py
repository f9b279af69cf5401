"""Signing up to a rotation: who may (each rule refuses with its reason),
creating, editing and withdrawing a sign-up, ranked preferences, learning
goals suggested from ladder gaps, and rotations counted as commitments."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.models import StretchParticipation
from ladders.selectors.commitments import active_commitments, commitment_names
from mentorship.models import Preference, Role, RotationCycle, SignUp
from mentorship.selectors.eligibility import signup_eligibility
from mentorship.selectors.signups import suggested_goals
from mentorship.services.signups import (
    signup_create,
    signup_preferences_replace,
    signup_update,
    signup_withdraw,
)
from people.errors import ApplicationError
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    COMPETENCIES,
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
    autumn_cycle,
    competency,
    final_assessment,
    place,
    sign_up_mentor,
)
from tests.people.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_window")]


def mentor_signup(cycle, revision):
    """Another mentor signed up to the cycle, at L4."""
    person = UserFactory()
    place(person, revision, "L4")
    return sign_up_mentor(cycle, person, revision)


def accepted_stretch(person, title="Billing queue migration"):
    assignment = StretchAssignmentFactory(title=title)
    return StretchParticipation.objects.create(
        assignment=assignment, person=person, status=StretchParticipation.Status.ACCEPTED
    )


def published_pairing_with(person, revision, *, status=RotationCycle.Status.ACTIVE, name="Autumn"):
    cycle = autumn_cycle(revision, status=status, name=name)
    mentee = SignUpFactory(cycle=cycle, person=person)
    return PublishedPairingFactory(run__cycle=cycle, mentee=mentee)


# --- signing up ---------------------------------------------------------------------


def test_it_signs_up_a_mentee_with_goals_and_ranked_preferences(people, cycle, revision):
    first, second = mentor_signup(cycle, revision), mentor_signup(cycle, revision)

    signup = signup_create(
        cycle=cycle,
        person=people.engineer,
        role=Role.MENTEE,
        competencies=[competency(revision, "design")],
        goals="  Design for failure.  ",
        preferences=[second, first],
    )

    assert signup.role == Role.MENTEE
    assert signup.status == SignUp.Status.ACTIVE
    assert signup.goals == "Design for failure."
    assert [c.code for c in signup.competencies.all()] == ["design"]
    ranked = list(signup.preferences.order_by("rank").values_list("mentor_id", "rank"))
    assert ranked == [(second.pk, 1), (first.pk, 2)]


def test_it_signs_up_a_mentor_with_capacity_project_and_hours(people, cycle, revision):
    signup = sign_up_mentor(
        cycle,
        people.peer,
        revision,
        competencies=[competency(revision, "design"), competency(revision, "people")],
        capacity=2,
        hours_per_week=3,
    )

    signup.refresh_from_db()
    assert signup.role == Role.MENTOR
    assert (signup.capacity, signup.hours_per_week) == (2, 3)
    assert signup.project_title == "Make checkout retries safe"
    assert signup.project_outcome == "Idempotent retries and a runbook."
    assert sorted(c.code for c in signup.competencies.all()) == ["design", "people"]


def test_it_gives_a_mentor_the_cycles_default_capacity(people, revision):
    cycle = RotationCycleFactory(ladder=revision.ladder, default_mentor_capacity=3)

    signup = sign_up_mentor(cycle, people.peer, revision)

    assert signup.capacity == 3


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"competencies": []}, "competencies", "Tick at least one competency you can teach"),
        ({"project_title": "  "}, "project_title", "Name the project"),
        ({"project_outcome": ""}, "project_outcome", "what the project should deliver"),
        ({"capacity": 0}, "capacity", "between 1 and 5 mentees"),
        ({"hours_per_week": 0}, "hours_per_week", "between 1 and 20"),
    ],
)
def test_it_refuses_a_mentor_sign_up_missing_what_mentees_need(
    people, cycle, revision, fields, field, message
):
    with pytest.raises(ApplicationError, match=message) as refused:
        sign_up_mentor(cycle, people.peer, revision, **fields)

    assert refused.value.field == field
    assert not SignUp.objects.exists()


def test_it_refuses_a_mentee_with_no_goal_at_all(people, cycle):
    with pytest.raises(ApplicationError, match="Tick at least one learning goal") as refused:
        signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals=" ")

    assert refused.value.field == "competencies"


def test_it_accepts_a_mentee_with_goals_in_words_only(people, cycle):
    signup = signup_create(
        cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Lead an incident."
    )

    assert signup.goals == "Lead an incident."


def test_it_refuses_competencies_of_another_ladder_or_an_older_revision(people, cycle, revision):
    older = published_ladder(competencies=COMPETENCIES, slug="older-engineering")

    with pytest.raises(ApplicationError, match="latest published") as refused:
        signup_create(
            cycle=cycle,
            person=people.engineer,
            role=Role.MENTEE,
            competencies=[older.competencies.get(code="design")],
        )

    assert refused.value.field == "competencies"


# --- eligibility: each rule refuses with its reason -----------------------------------


def test_it_finds_an_eligible_person_has_no_reason(people, cycle):
    assert signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE) == []
    assert signup_eligibility(cycle=cycle, person=people.peer, role=Role.MENTOR) == []


@pytest.mark.parametrize(
    "status,expected",
    [
        (RotationCycle.Status.DRAFT, "is not open yet."),
        (RotationCycle.Status.MATCHING, "is closed: it closed on 30 November 2026"),
        (RotationCycle.Status.ACTIVE, "is closed: it closed on 30 November 2026"),
    ],
)
def test_it_refuses_a_cycle_that_is_not_open(people, revision, status, expected):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=status)

    reasons = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE)

    assert len(reasons) == 1
    assert expected in reasons[0]
    with pytest.raises(ApplicationError, match=expected):
        signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Grow")


@pytest.mark.parametrize(
    "moment,expected",
    [
        (dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC), "opens on 1 November 2026"),
        (dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), "closed on 30 November 2026"),
    ],
)
def test_it_refuses_an_open_cycle_outside_its_dates(people, cycle, moment, expected):
    with time_machine.travel(moment, tick=False):
        reasons = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE)

    assert len(reasons) == 1
    assert expected in reasons[0]


def test_it_closes_the_window_at_midnight_where_the_person_lives(people, cycle):
    """At noon UTC on 30 November it is already 1 December in Auckland."""
    people.engineer.timezone = "Pacific/Auckland"
    people.engineer.save()
    people.peer.timezone = "Europe/London"
    people.peer.save()

    with time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), tick=False):
        far = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE)
        near = signup_eligibility(cycle=cycle, person=people.peer, role=Role.MENTOR)

    assert far == ["Sign-up for Winter rotation is closed: it closed on 30 November 2026."]
    assert near == []


def test_it_refuses_a_person_with_no_level(org, cycle):
    reasons = signup_eligibility(cycle=cycle, person=org.engineer, role=Role.MENTEE)

    assert reasons == [
        "You have no level on the Engineering ladder yet, and this cycle's rules go by "
        "level: ask your manager to record yours."
    ]
    with pytest.raises(ApplicationError, match="You have no level"):
        signup_create(cycle=cycle, person=org.engineer, role=Role.MENTEE, goals="Grow")


def test_it_refuses_a_person_placed_on_another_ladder(org, cycle):
    managers = published_ladder(levels=("M1", "M2"), slug="management")
    place(org.engineer, managers, "M1")

    reasons = signup_eligibility(cycle=cycle, person=org.engineer, role=Role.MENTEE)

    assert reasons == [
        "Your level is on the Management ladder; this cycle is for people on the "
        "Engineering ladder."
    ]


def test_it_compares_levels_by_code_in_the_latest_published_revision(org, revision, cycle):
    """The engineer was placed at L2 of revision 1; in revision 2 L2 sits above
    the mentee range, so the newer order is the one that counts."""
    place(org.engineer, revision, "L2")
    newer = published_ladder(levels=("L1", "L3", "L4", "L2"), competencies=COMPETENCIES, number=2)
    assert newer.ladder == revision.ladder

    reasons = signup_eligibility(cycle=cycle, person=org.engineer, role=Role.MENTEE)

    assert reasons == [
        "Mentees are between levels L1 (Engineer L1) and L3 (Engineer L3); "
        "you are at L2 (Engineer L2)."
    ]


def test_it_refuses_a_mentor_below_the_minimum_level(people, cycle, revision):
    reasons = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTOR)

    assert reasons == [
        "Mentors are at level L3 (Engineer L3) or above; you are at L2 (Engineer L2)."
    ]
    with pytest.raises(ApplicationError, match="Mentors are at level L3"):
        sign_up_mentor(cycle, people.engineer, revision)


@pytest.mark.parametrize("code", ["L1", "L4"])
def test_it_refuses_a_mentee_outside_the_level_range(org, revision, code):
    cycle = RotationCycleFactory(ladder=revision.ladder, mentee_min_level="L2")
    place(org.engineer, revision, code)

    reasons = signup_eligibility(cycle=cycle, person=org.engineer, role=Role.MENTEE)

    assert reasons == [
        f"Mentees are between levels L2 (Engineer L2) and L3 (Engineer L3); "
        f"you are at {code} (Engineer {code})."
    ]


def test_it_counts_rotations_and_stretch_assignments_against_the_limit(
    people, cycle, revision, settings
):
    settings.GROWTH_COMMITMENT_LIMIT = 2
    accepted_stretch(people.engineer)
    published_pairing_with(people.engineer, revision)

    reasons = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE)

    assert reasons == [
        "You already have 2 concurrent commitments (the limit is 2): “Billing queue "
        "migration”, “Autumn rotation, mentored by "
        f"{SignUp.objects.get(role=Role.MENTOR).person}”. A rotation would be one more: "
        "finish one first."
    ]
    with pytest.raises(ApplicationError, match="2 concurrent commitments"):
        signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Grow")


def test_it_lets_a_person_under_the_limit_sign_up(people, cycle, revision, settings):
    settings.GROWTH_COMMITMENT_LIMIT = 2
    accepted_stretch(people.engineer)

    assert signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE) == []


def test_it_refuses_a_second_sign_up_to_the_same_cycle(people, cycle):
    signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Grow")

    reasons = signup_eligibility(cycle=cycle, person=people.engineer, role=Role.MENTEE)

    assert reasons == [
        "You already signed up to Winter rotation as a mentee: edit that sign-up, or "
        "withdraw it first to sign up in another role."
    ]
    with pytest.raises(ApplicationError, match="already signed up"):
        signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Again")
    assert SignUp.objects.count() == 1


def test_it_lists_every_reason_at_once(org, revision, settings):
    settings.GROWTH_COMMITMENT_LIMIT = 1
    cycle = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.MATCHING)
    accepted_stretch(org.engineer)

    reasons = signup_eligibility(cycle=cycle, person=org.engineer, role=Role.MENTOR)

    assert [r.split(":")[0] for r in reasons] == [
        f"Sign-up for {cycle.name} is closed",
        "You have no level on the Engineering ladder yet, and this cycle's rules go by level",
        "You already have 1 concurrent commitment (the limit is 1)",
    ]


def test_it_checks_eligibility_in_the_same_number_of_queries_for_few_and_many(revision):
    def queries(n: int) -> int:
        cycle = RotationCycleFactory(ladder=revision.ladder)
        person = UserFactory()
        place(person, revision, "L2")
        for i in range(n):
            accepted_stretch(person, title=f"Stretch {n}-{i}")
            MentorSignUpFactory(cycle=cycle)
        with CaptureQueriesContext(connection) as captured:
            signup_eligibility(cycle=cycle, person=person, role=Role.MENTEE)
        return len(captured)

    assert queries(3) == queries(30)


# --- rotations as commitments --------------------------------------------------------


def test_it_counts_published_pairings_of_open_cycles_on_either_side(people, revision):
    as_mentee = published_pairing_with(people.engineer, revision)
    as_mentor = published_pairing_with(
        UserFactory(), revision, status=RotationCycle.Status.PUBLISHED, name="Late autumn"
    )
    as_mentor.mentor.person = people.engineer
    as_mentor.mentor.save()

    assert active_commitments(person=people.engineer) == 2
    assert commitment_names(person=people.engineer) == [
        f"Autumn rotation, mentored by {as_mentee.mentor.person}",
        f"Late autumn rotation, mentoring {as_mentor.mentee.person}",
    ]


def test_it_does_not_count_closed_cycles_proposed_pairings_or_sign_ups(people, cycle, revision):
    published_pairing_with(people.engineer, revision, status=RotationCycle.Status.CLOSED)
    proposed = published_pairing_with(people.engineer, revision, name="Spring")
    proposed.status = proposed.Status.PROPOSED
    proposed.save()
    signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Grow")

    assert active_commitments(person=people.engineer) == 0


# --- editing, withdrawing, preferences -------------------------------------------------


@pytest.fixture
def mentee(people, cycle, revision):
    return signup_create(
        cycle=cycle,
        person=people.engineer,
        role=Role.MENTEE,
        competencies=[competency(revision, "code")],
        goals="Grow",
    )


def test_it_lets_the_person_edit_their_sign_up_and_keeps_what_is_left_out(people, mentee, revision):
    mentor = mentor_signup(mentee.cycle, revision)

    signup_update(
        signup=mentee,
        by=people.engineer,
        competencies=[competency(revision, "people")],
        preferences=[mentor],
    )

    mentee.refresh_from_db()
    assert [c.code for c in mentee.competencies.all()] == ["people"]
    assert mentee.goals == "Grow"
    assert list(mentee.preferences.values_list("mentor_id", "rank")) == [(mentor.pk, 1)]


@pytest.mark.parametrize("role", ["manager", "hr", "peer"])
def test_it_lets_only_the_person_change_or_withdraw_their_sign_up(people, mentee, role):
    someone = getattr(people, role)

    with pytest.raises(ApplicationError, match="Only the person who signed up"):
        signup_update(signup=mentee, by=someone, goals="Changed")
    with pytest.raises(ApplicationError, match="Only the person who signed up"):
        signup_withdraw(signup=mentee, by=someone)

    mentee.refresh_from_db()
    assert (mentee.goals, mentee.status) == ("Grow", SignUp.Status.ACTIVE)


def test_it_refuses_changes_once_the_window_closed(people, mentee):
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ApplicationError, match="closed on 30 November 2026"):
            signup_update(signup=mentee, by=people.engineer, goals="Changed")
        with pytest.raises(ApplicationError, match="can no longer change"):
            signup_withdraw(signup=mentee, by=people.engineer)

    mentee.refresh_from_db()
    assert mentee.status == SignUp.Status.ACTIVE


def test_it_refuses_changes_once_the_cycle_moved_on(people, mentee):
    RotationCycle.objects.filter(pk=mentee.cycle_id).update(status=RotationCycle.Status.MATCHING)

    with pytest.raises(ApplicationError, match="is closed"):
        signup_update(signup=mentee, by=people.engineer, goals="Changed")


def test_it_withdraws_and_drops_the_preferences_for_a_withdrawn_mentor(
    people, cycle, revision, mentee
):
    mentor = sign_up_mentor(cycle, people.peer, revision)
    signup_preferences_replace(signup=mentee, by=people.engineer, mentors=[mentor])

    signup_withdraw(signup=mentor, by=people.peer)

    mentor.refresh_from_db()
    assert mentor.status == SignUp.Status.WITHDRAWN
    assert not Preference.objects.filter(mentor=mentor).exists()
    assert signup_eligibility(cycle=cycle, person=people.peer, role=Role.MENTOR) == []


def test_it_refuses_to_change_a_withdrawn_sign_up(people, mentee):
    signup_withdraw(signup=mentee, by=people.engineer)

    with pytest.raises(ApplicationError, match="withdrawn"):
        signup_update(signup=mentee, by=people.engineer, goals="Changed")


def test_it_takes_up_a_withdrawn_sign_up_again_in_another_role(people, cycle, revision):
    place(people.engineer, revision, "L3")  # L3 may mentor and be mentored
    first = signup_create(cycle=cycle, person=people.engineer, role=Role.MENTEE, goals="Grow")
    signup_withdraw(signup=first, by=people.engineer)

    again = sign_up_mentor(cycle, people.engineer, revision)

    assert again.pk == first.pk
    assert (again.role, again.status, again.goals) == (Role.MENTOR, SignUp.Status.ACTIVE, "")


def test_it_replaces_the_ranked_preferences_in_bulk(people, cycle, revision, mentee):
    a, b, c = (mentor_signup(cycle, revision) for _ in range(3))
    signup_preferences_replace(signup=mentee, by=people.engineer, mentors=[a, b, c])

    signup_preferences_replace(signup=mentee, by=people.engineer, mentors=[c, a])

    ranked = list(Preference.objects.filter(mentee=mentee).order_by("rank"))
    assert [(p.mentor_id, p.rank) for p in ranked] == [(c.pk, 1), (a.pk, 2)]


def test_it_refuses_more_than_three_preferences_or_one_twice(people, cycle, revision, mentee):
    mentors = [mentor_signup(cycle, revision) for _ in range(4)]

    with pytest.raises(ApplicationError, match="at most 3"):
        signup_preferences_replace(signup=mentee, by=people.engineer, mentors=mentors)
    with pytest.raises(ApplicationError, match="only once"):
        signup_preferences_replace(
            signup=mentee, by=people.engineer, mentors=[mentors[0], mentors[0]]
        )
    assert not Preference.objects.exists()


def test_it_refuses_preferences_for_someone_not_a_mentor_of_the_cycle(
    people, cycle, revision, mentee
):
    other_cycle = RotationCycleFactory(ladder=revision.ladder)
    elsewhere = MentorSignUpFactory(cycle=other_cycle)
    fellow_mentee = SignUpFactory(cycle=cycle)

    for wrong in (elsewhere, fellow_mentee):
        with pytest.raises(ApplicationError, match="signed up as mentors to this cycle"):
            signup_preferences_replace(signup=mentee, by=people.engineer, mentors=[wrong])


def test_it_refuses_preferences_on_a_mentor_sign_up(people, cycle, revision):
    mentor = sign_up_mentor(cycle, people.peer, revision)

    with pytest.raises(ApplicationError, match="Only mentees rank"):
        signup_preferences_replace(
            signup=mentor, by=people.peer, mentors=[mentor_signup(cycle, revision)]
        )


# --- learning goals from ladder gaps ----------------------------------------------------


def test_it_suggests_the_gaps_below_the_level_biggest_gap_first(people, cycle, revision):
    # Changed with issue 9: a 3 (meets the level) among ratings whose median is
    # 3 is no longer a gap; before, every rating under 4 was suggested.
    final_assessment(
        people.engineer, revision, {"code": 3, "design": 1, "people": 4, "delivery": 2}
    )

    goals = suggested_goals(person=people.engineer, cycle=cycle)

    assert [c.code for c in goals] == ["design", "delivery"]


def test_it_suggests_nothing_when_every_competency_meets_the_level(people, cycle, revision):
    final_assessment(
        people.engineer, revision, {"code": 3, "design": 3, "people": 3, "delivery": 3}
    )

    assert suggested_goals(person=people.engineer, cycle=cycle) == []


def test_it_suggests_a_three_that_stands_out_among_fours(people, cycle, revision):
    final_assessment(
        people.engineer, revision, {"code": 4, "design": 3, "people": 4, "delivery": 4}
    )

    assert [c.code for c in suggested_goals(person=people.engineer, cycle=cycle)] == ["design"]


def test_it_suggests_at_most_the_three_biggest_gaps(people, cycle, revision):
    final_assessment(
        people.engineer, revision, {"code": 2, "design": 1, "people": 2, "delivery": 2}
    )

    goals = suggested_goals(person=people.engineer, cycle=cycle)

    assert [c.code for c in goals] == ["design", "code", "people"]


def test_it_suggests_from_the_latest_finalised_assessment_only(people, cycle, revision):
    old = final_assessment(people.engineer, revision, {"code": 1, "design": 4})
    old.finalised_at -= dt.timedelta(days=200)
    old.save()
    final_assessment(people.engineer, revision, {"code": 4, "design": 2})

    assert [c.code for c in suggested_goals(person=people.engineer, cycle=cycle)] == ["design"]


def test_it_suggests_nothing_without_a_finalised_assessment(people, cycle):
    assert suggested_goals(person=people.engineer, cycle=cycle) == []


def test_it_matches_ratings_by_code_in_the_cycle_ladders_latest_revision(people, cycle, revision):
    final_assessment(people.engineer, revision, {"design": 1, "people": 2})
    newer = published_ladder(competencies=("design", "people"), number=2)

    goals = suggested_goals(person=people.engineer, cycle=cycle)

    assert [(c.code, c.revision_id) for c in goals] == [
        ("design", newer.pk),
        ("people", newer.pk),
    ]


def test_it_suggests_from_the_persons_own_ladder_without_a_cycle(people, revision):
    final_assessment(people.engineer, revision, {"people": 2})

    assert [c.code for c in suggested_goals(person=people.engineer)] == ["people"]
