"""Review edits are decisions the engine respects (issue 9): a removed pair is
never proposed again in the cycle, a swap and a pair made by hand are locks a
re-run keeps (or says why not), a pair made by hand keeps every hard rule and
explains itself, the figures follow every edit, and publishing never takes
anyone over the commitment limit. A rotation counts as one commitment."""

import pytest

from ladders.models import StretchParticipation
from ladders.selectors.commitments import active_commitments, commitment_names
from mentorship.models import MatchRun, PairExclusion, Pairing, Role, RotationCycle
from mentorship.scoring.reasons import in_third_person
from mentorship.services.cycles import cycle_publish
from mentorship.services.matching_run import cycle_rerun, match_run_execute, match_run_start
from mentorship.services.review import (
    pairing_create_by_hand,
    pairing_remove,
    pairing_swap,
)
from people.errors import ApplicationError
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
    signed_up,
)
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status


@pytest.fixture
def revision():
    return published_ladder(competencies=("design", "testing", "people"))


@pytest.fixture
def cycle(revision):
    return RotationCycleFactory(ladder=revision.ladder, status=Status.MATCHING, name="Winter")


def mentor(cycle, revision, team, goals=("design",), person=None, **fields):
    person = person or UserFactory(team=TeamFactory(name=team))
    return signed_up(
        cycle, revision, role=Role.MENTOR, level="L4", goals=goals, person=person, **fields
    )


def mentee(cycle, revision, team, goals=("design",), person=None, level="L2"):
    person = person or UserFactory(team=TeamFactory(name=team))
    return signed_up(cycle, revision, role=Role.MENTEE, level=level, goals=goals, person=person)


def run_now(cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        run = match_run_start(cycle=cycle)
    match_run_execute(match_run_id=run.pk)
    run.refresh_from_db()
    cycle.refresh_from_db()
    return run


def rerun(cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        run = cycle_rerun(cycle=cycle)
    match_run_execute(match_run_id=run.pk)
    run.refresh_from_db()
    cycle.refresh_from_db()
    return run


def pairs_of(run):
    return {(p.mentor_id, p.mentee_id) for p in run.pairings.all()}


def accept_stretch(person, title="Billing queue migration"):
    return StretchParticipation.objects.create(
        assignment=StretchAssignmentFactory(title=title),
        person=person,
        status=StretchParticipation.Status.ACCEPTED,
    )


@pytest.fixture
def two_by_two(cycle, revision):
    """Free of edits, the best match is generalist-x and specialist-y."""
    specialist = mentor(cycle, revision, "Search", goals=("design",))
    generalist = mentor(cycle, revision, "Identity", goals=("design", "testing"))
    x = mentee(cycle, revision, "Payments", goals=("design", "testing"))
    y = mentee(cycle, revision, "Billing", goals=("design",))
    return specialist, generalist, x, y


# --- removals ---------------------------------------------------------------------------


def test_a_removed_pair_is_not_proposed_again_by_a_re_run(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, _generalist, _x, y = two_by_two
    first = run_now(cycle, django_capture_on_commit_callbacks)
    hr = UserFactory()

    exclusion = pairing_remove(pairing=first.pairings.get(mentee=y), by=hr)

    assert (exclusion.mentor, exclusion.mentee, exclusion.created_by) == (specialist, y, hr)
    second = rerun(cycle, django_capture_on_commit_callbacks)
    assert (specialist.pk, y.pk) not in pairs_of(second)
    third = rerun(cycle, django_capture_on_commit_callbacks)
    assert (specialist.pk, y.pk) not in pairs_of(third)  # for the rest of the cycle


def test_a_mentee_whose_only_mentor_was_removed_is_told_so(
    cycle, revision, django_capture_on_commit_callbacks
):
    only = mentor(cycle, revision, "Search")
    learner = mentee(cycle, revision, "Payments")
    first = run_now(cycle, django_capture_on_commit_callbacks)

    pairing_remove(pairing=first.pairings.get())
    second = rerun(cycle, django_capture_on_commit_callbacks)

    assert pairs_of(second) == set()
    reasons = {row["signup"]: row["reason"] for row in second.unmatched}
    assert reasons[learner.pk].startswith("The people team removed your pair with the one mentor")
    assert reasons[only.pk].startswith("The people team removed your pair with the one mentee")


def test_the_figures_add_up_after_a_removal(cycle, two_by_two, django_capture_on_commit_callbacks):
    run = run_now(cycle, django_capture_on_commit_callbacks)
    assert (run.figures["matched"], run.figures["crossing_teams"]) == (2, 2)

    pairing_remove(pairing=run.pairings.first())

    run.refresh_from_db()
    left = run.pairings.get()
    assert run.figures["matched"] == 1
    assert run.figures["crossing_teams"] == 1
    assert run.figures["match_rate"] == 0.5
    assert run.figures["total_score"] == pytest.approx(left.score)
    assert run.figures["average_score"] == pytest.approx(left.score)


# --- swaps ------------------------------------------------------------------------------


def test_a_swap_is_locked_and_survives_a_re_run(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, generalist, x, y = two_by_two
    first = run_now(cycle, django_capture_on_commit_callbacks)

    pairing_swap(pairing_a=first.pairings.get(mentee=x), pairing_b=first.pairings.get(mentee=y))

    assert all(p.locked for p in first.pairings.all())
    second = rerun(cycle, django_capture_on_commit_callbacks)
    assert pairs_of(second) == {(specialist.pk, x.pk), (generalist.pk, y.pk)}
    assert second.figures["locked_kept"] == 2
    assert second.figures["locks_dropped"] == []


# --- pairing by hand ----------------------------------------------------------------------


@pytest.fixture
def with_one_unmatched(cycle, revision, django_capture_on_commit_callbacks):
    """One mentor with room for two, one mentee matched, one left out (no goal taught)."""
    teacher = mentor(cycle, revision, "Search", goals=("design",), capacity=2)
    matched = mentee(cycle, revision, "Payments", goals=("design",))
    left_out = mentee(cycle, revision, "Billing", goals=("people",))
    run = run_now(cycle, django_capture_on_commit_callbacks)
    assert pairs_of(run) == {(teacher.pk, matched.pk)}
    return run, teacher, matched, left_out


def test_a_pair_made_by_hand_is_scored_explained_locked_and_kept_by_a_re_run(
    cycle, with_one_unmatched, django_capture_on_commit_callbacks
):
    run, teacher, _matched, left_out = with_one_unmatched

    pairing = pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=left_out)

    assert pairing.locked and pairing.run == run
    assert pairing.explanation[0] == "Teaches none of your learning goals"
    assert "Crosses teams: Billing → Search" in pairing.explanation
    run.refresh_from_db()
    assert run.figures["matched"] == 2
    assert left_out.pk not in {row["signup"] for row in run.unmatched}
    second = rerun(cycle, django_capture_on_commit_callbacks)
    assert (teacher.pk, left_out.pk) in pairs_of(second)
    assert second.pairings.get(mentee=left_out).locked


def test_a_pair_made_by_hand_lifts_an_earlier_removal_of_that_pair(
    cycle, with_one_unmatched, django_capture_on_commit_callbacks
):
    run, teacher, matched, _ = with_one_unmatched
    pairing_remove(pairing=run.pairings.get(mentee=matched))

    pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=matched)

    assert not PairExclusion.objects.filter(cycle=cycle).exists()


def test_pairing_by_hand_refuses_a_mentor_who_is_not_senior_enough(
    cycle, revision, with_one_unmatched
):
    _, _, _, left_out = with_one_unmatched
    junior = signed_up(cycle, revision, role=Role.MENTOR, level="L3", goals=("people",))
    junior.person.team = TeamFactory(name="Identity")
    junior.person.save()

    with pytest.raises(ApplicationError, match=r"is not at least 2 levels above"):
        # L3 is one level above L2, so make the gap two for this cycle.
        cycle.min_level_gap = 2
        cycle.save()
        pairing_create_by_hand(cycle=cycle, mentor=junior, mentee=left_out)

    assert not Pairing.objects.filter(mentee=left_out).exists()


def test_pairing_by_hand_refuses_someone_in_the_mentees_manager_chain(
    cycle, revision, with_one_unmatched
):
    _, _, _, left_out = with_one_unmatched
    skip_level = UserFactory(team=TeamFactory(name="Leadership"))
    boss = UserFactory(manager=skip_level, team=left_out.person.team)
    left_out.person.manager = boss
    left_out.person.save()
    chief = mentor(cycle, revision, "Leadership", person=skip_level, goals=("people",))

    with pytest.raises(ApplicationError, match=r"is in .*manager chain"):
        pairing_create_by_hand(cycle=cycle, mentor=chief, mentee=left_out)


def test_pairing_by_hand_refuses_a_pair_from_a_recent_cycle(cycle, revision, with_one_unmatched):
    _, teacher, _, left_out = with_one_unmatched
    autumn = RotationCycleFactory(
        ladder=revision.ladder,
        name="Autumn",
        status=Status.CLOSED,
        signup_opens_on=cycle.signup_opens_on.replace(month=8),
        signup_closes_on=cycle.signup_closes_on.replace(month=8, day=30),
        starts_on=cycle.starts_on.replace(month=9),
        ends_on=cycle.starts_on.replace(month=10),
    )
    PublishedPairingFactory(
        run__cycle=autumn,
        mentor=SignUpFactory(cycle=autumn, person=teacher.person, role=Role.MENTOR),
        mentee=SignUpFactory(cycle=autumn, person=left_out.person),
    )

    with pytest.raises(ApplicationError, match="They were paired within the last 2 cycles"):
        pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=left_out)


def test_pairing_by_hand_refuses_a_mentor_without_room(cycle, revision, with_one_unmatched):
    _, teacher, _, left_out = with_one_unmatched
    teacher.capacity = 1
    teacher.save()

    with pytest.raises(ApplicationError, match="already has 1 of the 1 mentee they offered"):
        pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=left_out)


def test_pairing_by_hand_refuses_someone_at_the_commitment_limit(
    cycle, with_one_unmatched, settings
):
    settings.GROWTH_COMMITMENT_LIMIT = 1
    _, teacher, _, left_out = with_one_unmatched
    accept_stretch(left_out.person)

    with pytest.raises(ApplicationError, match="at the limit of 1 concurrent commitments"):
        pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=left_out)

    assert not Pairing.objects.filter(mentee=left_out).exists()


def test_pairing_by_hand_refuses_a_mentee_who_already_has_a_mentor(cycle, with_one_unmatched):
    _, teacher, matched, _ = with_one_unmatched

    with pytest.raises(ApplicationError, match="already has a mentor in this proposal"):
        pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=matched)


# --- re-runs say what they could not keep ---------------------------------------------------


def test_a_re_run_lists_a_pair_made_by_hand_it_could_not_keep_and_why(
    cycle, with_one_unmatched, settings, django_capture_on_commit_callbacks
):
    _, teacher, _, left_out = with_one_unmatched
    pairing_create_by_hand(cycle=cycle, mentor=teacher, mentee=left_out)
    settings.GROWTH_COMMITMENT_LIMIT = 1
    accept_stretch(left_out.person)  # accepted during the review

    second = rerun(cycle, django_capture_on_commit_callbacks)

    assert (teacher.pk, left_out.pk) not in pairs_of(second)
    (dropped,) = second.figures["locks_dropped"]
    assert dropped.startswith(f"The lock on {teacher.person} with {left_out.person} was dropped")
    assert "limit of 1 concurrent commitments" in dropped


# --- publishing and the commitment limit -------------------------------------------------


def test_publishing_drops_a_pair_that_would_exceed_the_limit_and_says_so(
    cycle, two_by_two, settings, django_capture_on_commit_callbacks
):
    settings.GROWTH_COMMITMENT_LIMIT = 2
    specialist, generalist, x, y = two_by_two
    run = run_now(cycle, django_capture_on_commit_callbacks)
    accept_stretch(y.person, "Search relevance")
    accept_stretch(y.person, "On-call handbook")  # both accepted while in review

    with django_capture_on_commit_callbacks():
        published = cycle_publish(cycle=cycle)

    assert published.count == 1
    assert published.dropped == [
        f"{specialist.person} with {y.person} was not published: {y.person} reached the "
        "limit of 2 concurrent commitments during the review."
    ]
    assert pairs_of(run) == {(generalist.pk, x.pk)}
    run.refresh_from_db()
    assert run.figures["matched"] == 1
    assert {row["signup"] for row in run.unmatched} == {y.pk, specialist.pk}
    assert active_commitments(person=y.person) == 2


def test_publishing_is_refused_when_every_pair_would_exceed_the_limit(
    cycle, revision, settings, django_capture_on_commit_callbacks
):
    settings.GROWTH_COMMITMENT_LIMIT = 1
    mentor(cycle, revision, "Search")
    learner = mentee(cycle, revision, "Payments")
    run = run_now(cycle, django_capture_on_commit_callbacks)
    accept_stretch(learner.person)

    with pytest.raises(ApplicationError, match="Nothing was published"):
        cycle_publish(cycle=cycle)

    cycle.refresh_from_db()
    assert cycle.status == Status.REVIEW
    assert run.pairings.count() == 1  # nothing changed


def test_a_rotation_counts_as_one_commitment_however_many_mentees(
    cycle, revision, settings, django_capture_on_commit_callbacks
):
    settings.GROWTH_COMMITMENT_LIMIT = 2
    busy = mentor(cycle, revision, "Search", capacity=3)
    accept_stretch(busy.person)  # one commitment before the rotation
    learners = [mentee(cycle, revision, team) for team in ("A", "B", "C")]
    run = run_now(cycle, django_capture_on_commit_callbacks)
    assert run.figures["matched"] == 3

    with django_capture_on_commit_callbacks():
        published = cycle_publish(cycle=cycle)

    assert published.count == 3
    assert active_commitments(person=busy.person) == 2
    names = ", ".join(str(s.person) for s in learners[:2]) + f" and {learners[2].person}"
    assert commitment_names(person=busy.person) == [
        "Billing queue migration",
        f"Winter rotation, mentoring {names}",
    ]


# --- the people team reads explanations about the mentee ------------------------------------


@pytest.mark.parametrize(
    ("to_the_mentee", "about_the_mentee"),
    [
        ("Teaches Design, your biggest gap", "Teaches Design, their biggest gap"),
        (
            "Teaches Design and Testing, your two biggest gaps",
            "Teaches Design and Testing, their two biggest gaps",
        ),
        ("Teaches Design, both your learning goals", "Teaches Design, both their learning goals"),
        (
            "Teaches Design, one of your two learning goals",
            "Teaches Design, one of their two learning goals",
        ),
        ("Teaches none of your learning goals", "Teaches none of their learning goals"),
        (
            "You named no learning goals, so this pair rests on what follows",
            "Ann named no learning goals, so this pair rests on what follows",
        ),
        ("Your first choice", "Ann's first choice"),
        ("Your choice number 4", "Ann's choice number 4"),
        ("Crosses teams: Payments → Search", "Crosses teams: Payments → Search"),
        (
            "Teaches Growing your team, your biggest gap",
            "Teaches Growing your team, their biggest gap",
        ),
    ],
)
def test_explanations_read_in_the_third_person_for_the_people_team(to_the_mentee, about_the_mentee):
    assert in_third_person([to_the_mentee], mentee="Ann") == [about_the_mentee]


def test_every_sentence_of_a_run_reads_without_you_or_your_for_the_people_team(
    cycle, revision, django_capture_on_commit_callbacks
):
    mentor(cycle, revision, "Search", goals=("design", "testing"), capacity=3)
    mentee(cycle, revision, "Payments", goals=("design",))
    mentee(cycle, revision, "Billing", goals=("design", "people"))
    mentee(cycle, revision, "Identity", goals=())
    run = run_now(cycle, django_capture_on_commit_callbacks)
    assert run.figures["matched"] == 3
    assert MatchRun.objects.filter(cycle=cycle).count() == 1

    for pairing in run.pairings.select_related("mentee__person"):
        for line in in_third_person(pairing.explanation, mentee=str(pairing.mentee.person)):
            assert "your" not in line.lower().split() and "you" not in line.lower().split()
