"""The match run service and the people team's review: a run computed twice
writes one proposal, locks survive a re-run, failures are recorded, and the
review's lock, remove, swap and publish keep the rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.matching import MatchingError
from mentorship.models import MatchRun, Pairing, Role, RotationCycle
from mentorship.scoring import weights
from mentorship.services import matching_run
from mentorship.services.cycles import cycle_move, cycle_publish
from mentorship.services.matching_run import (
    cycle_close_and_match,
    cycle_rerun,
    match_run_execute,
    match_run_start,
)
from mentorship.services.review import pairing_lock, pairing_remove, pairing_swap
from people.errors import ApplicationError
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import (
    PreferenceFactory,
    RotationCycleFactory,
    final_assessment,
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
    return RotationCycleFactory(ladder=revision.ladder, status=Status.MATCHING)


def mentor(cycle, revision, team, goals=("design",), **fields):
    person = UserFactory(team=TeamFactory(name=team))
    return signed_up(
        cycle, revision, role=Role.MENTOR, level="L4", goals=goals, person=person, **fields
    )


def mentee(cycle, revision, team, goals=("design",)):
    person = UserFactory(team=TeamFactory(name=team))
    return signed_up(cycle, revision, role=Role.MENTEE, level="L2", goals=goals, person=person)


@pytest.fixture
def two_by_two(cycle, revision):
    """Free of locks, the best match is generalist-x and specialist-y."""
    specialist = mentor(cycle, revision, "Search", goals=("design",))
    generalist = mentor(cycle, revision, "Identity", goals=("design", "testing"))
    x = mentee(cycle, revision, "Payments", goals=("design", "testing"))
    y = mentee(cycle, revision, "Billing", goals=("design",))
    return specialist, generalist, x, y


def run_now(cycle, django_capture_on_commit_callbacks, by=None):
    """Start a run as the admin would, then do what the worker does."""
    with django_capture_on_commit_callbacks() as callbacks:
        run = match_run_start(cycle=cycle, requested_by=by)
    assert len(callbacks) == 1  # the task, enqueued once the transaction commits
    match_run_execute(match_run_id=run.pk)
    run.refresh_from_db()
    return run


def pairs_of(run):
    return {(p.mentor_id, p.mentee_id) for p in run.pairings.all()}


# --- the run -------------------------------------------------------------------------------


def test_it_writes_the_proposal_figures_and_moves_the_cycle_to_review(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, generalist, x, y = two_by_two

    run = run_now(cycle, django_capture_on_commit_callbacks)

    assert run.status == MatchRun.Status.DONE
    assert pairs_of(run) == {(generalist.pk, x.pk), (specialist.pk, y.pk)}
    assert all(p.explanation and p.status == Pairing.Status.PROPOSED for p in run.pairings.all())
    figures = run.figures
    assert (figures["participants"], figures["mentors"], figures["mentees"]) == (4, 2, 2)
    assert figures["matched"] == 2
    assert figures["total_score"] == pytest.approx(sum(p.score for p in run.pairings.all()))
    assert figures["average_score"] == pytest.approx(figures["total_score"] / 2)
    assert set(figures["seconds"]) == {"load", "score", "solve", "write", "total"}
    assert run.unmatched == []
    cycle.refresh_from_db()
    assert cycle.status == Status.REVIEW


def test_it_writes_one_set_of_pairings_when_the_run_is_executed_twice(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    run = run_now(cycle, django_capture_on_commit_callbacks)
    finished = run.finished_at

    match_run_execute(match_run_id=run.pk)  # a redelivered task

    run.refresh_from_db()
    assert run.finished_at == finished
    assert Pairing.objects.filter(cycle=cycle).count() == 2


def test_it_keeps_locked_pairs_when_the_match_is_re_run(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, generalist, x, y = two_by_two
    first = run_now(cycle, django_capture_on_commit_callbacks)
    pairing_lock(pairing=first.pairings.get(mentee=x), locked=True)
    pairing_lock(pairing=first.pairings.get(mentee=x), locked=False)
    to_x, to_y = first.pairings.get(mentee=x), first.pairings.get(mentee=y)
    pairing_swap(pairing_a=to_x, pairing_b=to_y)  # a swap locks both pairs (issue 9)
    pairing_lock(pairing=first.pairings.get(mentee=y), locked=False)

    with django_capture_on_commit_callbacks():
        cycle_rerun(cycle=cycle)
    second = MatchRun.objects.filter(cycle=cycle).latest()
    match_run_execute(match_run_id=second.pk)

    second.refresh_from_db()
    assert pairs_of(second) == {(specialist.pk, x.pk), (generalist.pk, y.pk)}
    assert second.pairings.get(mentee=x).locked
    assert not second.pairings.get(mentee=y).locked
    assert second.figures["locked_kept"] == 1


def test_it_drops_a_lock_that_no_longer_holds_and_says_why(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, _, _, y = two_by_two
    first = run_now(cycle, django_capture_on_commit_callbacks)
    pairing_lock(pairing=first.pairings.get(mentee=y), locked=True)
    specialist.person.team = y.person.team  # moved teams since: now the same team as y
    specialist.person.save()

    with django_capture_on_commit_callbacks():
        cycle_rerun(cycle=cycle)
    second = MatchRun.objects.filter(cycle=cycle).latest()
    match_run_execute(match_run_id=second.pk)

    second.refresh_from_db()
    assert second.status == MatchRun.Status.DONE
    assert second.figures["locked_kept"] == 0
    assert second.figures["locks_dropped"] == [
        f"The lock on {specialist.person} with {y.person} was dropped: "
        "Both are on Billing, and this cycle pairs people across teams."
    ]


def test_a_refused_input_marks_the_run_failed_with_the_reason(
    cycle, two_by_two, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise MatchingError("capacity of mentor 7 is negative (-1)")

    monkeypatch.setattr(matching_run, "solve_arrays", refuse)
    run = run_now(cycle, django_capture_on_commit_callbacks)

    assert run.status == MatchRun.Status.FAILED
    assert run.error == (
        "The matching engine refused the input: capacity of mentor 7 is negative (-1)"
    )
    assert not Pairing.objects.filter(cycle=cycle).exists()
    cycle.refresh_from_db()
    assert cycle.status == Status.MATCHING


def test_an_unexpected_error_marks_the_run_failed_and_reaches_the_worker_log(
    cycle, two_by_two, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(matching_run, "solve_arrays", crash)
    with django_capture_on_commit_callbacks():
        run = match_run_start(cycle=cycle)

    with pytest.raises(RuntimeError):
        match_run_execute(match_run_id=run.pk)

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert run.error == "Unexpected error (RuntimeError): disk full"
    assert not Pairing.objects.filter(cycle=cycle).exists()


def test_it_runs_in_the_same_number_of_queries_for_5_and_20_sign_ups(
    revision, django_capture_on_commit_callbacks
):
    def queries_for(size):
        cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.MATCHING)
        for k in range(size):
            if k % 3 == 0:
                mentor(cycle, revision, f"Mentors {k}", capacity=2)
            else:
                mentee(cycle, revision, f"Mentees {k}")
        with django_capture_on_commit_callbacks():
            run = match_run_start(cycle=cycle)
        with CaptureQueriesContext(connection) as captured:
            match_run_execute(match_run_id=run.pk)
        run.refresh_from_db()
        assert run.figures["matched"] > 0
        return len(captured)

    assert queries_for(5) == queries_for(20)


def test_it_starts_a_run_only_once_sign_ups_are_closed(revision):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.OPEN)

    with pytest.raises(ApplicationError, match="a match runs once sign-ups are closed"):
        match_run_start(cycle=cycle)

    assert not MatchRun.objects.exists()


def test_it_refuses_a_second_run_while_one_waits_for_a_worker(
    cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        match_run_start(cycle=cycle)

    with pytest.raises(ApplicationError, match="already waiting for a worker"):
        match_run_start(cycle=cycle)


def test_closing_sign_ups_moves_the_cycle_and_enqueues_a_run(
    revision, django_capture_on_commit_callbacks
):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.OPEN)
    hr = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        run = cycle_close_and_match(cycle=cycle, by=hr)

    cycle.refresh_from_db()
    assert cycle.status == Status.MATCHING
    assert (run.status, run.requested_by) == (MatchRun.Status.PENDING, hr)
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.DRAFT, Status.MATCHING),
        (Status.OPEN, Status.PUBLISHED),
        (Status.PUBLISHED, Status.MATCHING),
        (Status.CLOSED, Status.OPEN),
    ],
)
def test_it_refuses_a_move_the_cycle_rules_do_not_allow(revision, start, to):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=start)

    with pytest.raises(ApplicationError, match="it can move to"):
        cycle_move(cycle=cycle, to=to)

    cycle.refresh_from_db()
    assert cycle.status == start


# --- the review ------------------------------------------------------------------------------


def test_removing_a_pair_leaves_both_unmatched_with_the_reason(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, generalist, x, y = two_by_two
    run = run_now(cycle, django_capture_on_commit_callbacks)

    pairing_remove(pairing=run.pairings.get(mentee=y))

    run.refresh_from_db()
    assert pairs_of(run) == {(generalist.pk, x.pk)}
    left_out = {(row["signup"], row["role"]): row["reason"] for row in run.unmatched}
    assert left_out == {
        (y.pk, "mentee"): "Removed by the people team.",
        (specialist.pk, "mentor"): "Removed by the people team.",
    }
    assert run.figures["matched"] == 1


def test_a_swap_that_breaks_a_rule_is_refused_with_the_rule(
    cycle, revision, django_capture_on_commit_callbacks
):
    search_mentor = mentor(cycle, revision, "Search")
    payments_mentor = mentor(cycle, revision, "Payments")
    from_payments = mentee(cycle, revision, "Payments")
    from_search = mentee(cycle, revision, "Search")
    run = run_now(cycle, django_capture_on_commit_callbacks)
    assert pairs_of(run) == {
        (search_mentor.pk, from_payments.pk),
        (payments_mentor.pk, from_search.pk),
    }

    with pytest.raises(ApplicationError, match="Both are on Payments"):
        pairing_swap(
            pairing_a=run.pairings.get(mentee=from_payments),
            pairing_b=run.pairings.get(mentee=from_search),
        )

    assert pairs_of(run) == {
        (search_mentor.pk, from_payments.pk),
        (payments_mentor.pk, from_search.pk),
    }


def test_a_swap_rescores_and_re_explains_both_pairs(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    specialist, generalist, x, y = two_by_two
    run = run_now(cycle, django_capture_on_commit_callbacks)
    before = run.pairings.get(mentee=x).score

    pairing_swap(pairing_a=run.pairings.get(mentee=x), pairing_b=run.pairings.get(mentee=y))

    swapped_x, swapped_y = run.pairings.get(mentee=x), run.pairings.get(mentee=y)
    assert (swapped_x.mentor, swapped_y.mentor) == (specialist, generalist)
    assert swapped_x.score < before  # the specialist covers one of x's two goals
    assert swapped_x.explanation[0] == "Teaches Design, one of your two learning goals"
    assert swapped_y.explanation[0] == "Teaches Design, your learning goal"
    run.refresh_from_db()
    assert run.figures["total_score"] == pytest.approx(swapped_x.score + swapped_y.score)


def test_publishing_publishes_the_latest_run_and_notifies_once_committed(
    cycle, two_by_two, django_capture_on_commit_callbacks
):
    run = run_now(cycle, django_capture_on_commit_callbacks)
    hr = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        published = cycle_publish(cycle=cycle, by=hr)

    assert (published.count, published.dropped) == (2, [])
    assert len(callbacks) == 1
    statuses = set(run.pairings.values_list("status", flat=True))
    assert statuses == {Pairing.Status.PUBLISHED}
    assert all(p.published_at for p in run.pairings.all())
    cycle.refresh_from_db()
    assert cycle.status == Status.PUBLISHED
    with pytest.raises(ApplicationError, match="published"):
        pairing_remove(pairing=run.pairings.first())


def test_a_mentee_left_out_by_the_candidate_pruning_still_gets_a_mentor_with_room(
    cycle, revision, monkeypatch, django_capture_on_commit_callbacks
):
    # Keep one candidate per mentee and per mentor, as a huge cycle keeps fifty.
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTEE", 1)
    monkeypatch.setattr(weights, "CANDIDATES_PER_MENTOR", 1)
    favourite, second, third = (mentor(cycle, revision, team) for team in ("A", "B", "C"))
    learners = [mentee(cycle, revision, team) for team in ("X", "Y", "Z")]
    # Everyone's first choice is the favourite; every mentor's best mentee is the
    # first learner, whose gap in design is the largest.
    final_assessment(learners[0].person, revision, {"design": 1}, manager=UserFactory())
    for learner in learners:
        PreferenceFactory(mentee=learner, mentor=favourite, rank=1)

    run = run_now(cycle, django_capture_on_commit_callbacks)

    assert run.figures["eligible_pairs"] == 5  # of 9 eligible pairs
    assert run.figures["matched"] == 3
    assert {p.mentee_id for p in run.pairings.all()} == {s.pk for s in learners}
    assert {p.mentor_id for p in run.pairings.all()} == {favourite.pk, second.pk, third.pk}
    assert run.unmatched == []


def test_a_cycle_nobody_signed_up_to_runs_and_matches_nobody(
    cycle, django_capture_on_commit_callbacks
):
    run = run_now(cycle, django_capture_on_commit_callbacks)

    assert run.status == MatchRun.Status.DONE
    assert (run.figures["participants"], run.figures["matched"]) == (0, 0)
    assert run.unmatched == []
