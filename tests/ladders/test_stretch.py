"""Stretch assignment services: seats held by applications, the concurrent
commitment limit, decisions, and completion recorded as evidence."""

import datetime as dt

import pytest
from django.utils import timezone

from ladders.models import StretchAssignment, StretchParticipation
from ladders.selectors import commitments
from ladders.selectors import stretch as selectors
from ladders.services.stretch import (
    stretch_apply,
    stretch_complete,
    stretch_decide,
    stretch_post,
    stretch_withdraw,
)
from people.errors import ApplicationError
from tests.ladders.factories import (
    CompetencyFactory,
    RevisionFactory,
    StretchAssignmentFactory,
    published_ladder,
)
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = StretchParticipation.Status


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def revision(db):
    return published_ladder(competencies=("code", "design", "people"))


def competency(revision, code):
    return revision.competencies.get(code=code)


def make_assignment(poster, revision=None, *, seats=3, title=None, **fields):
    fields.setdefault("starts_on", days(7))
    fields.setdefault("ends_on", days(90))
    if title:
        fields["title"] = title
    assignment = StretchAssignmentFactory(posted_by=poster, seats=seats, **fields)
    if revision is not None:
        assignment.competencies.set([competency(revision, "code"), competency(revision, "design")])
    return assignment


@pytest.fixture
def assignment(org, revision):
    return make_assignment(org.manager, revision, seats=3, title="Billing queue migration")


def apply(assignment, person, motivation="I want to learn this."):
    return stretch_apply(assignment=assignment, person=person, motivation=motivation)


def seats_taken(assignment) -> int:
    return selectors.stretch_get(assignment_id=assignment.pk).seats_taken


def put_on(person, *titles, poster):
    """The person accepted on assignments with these titles, running now."""
    for title in titles:
        a = make_assignment(poster, title=title, starts_on=days(-10), ends_on=days(30))
        participation = apply(a, person)
        stretch_decide(participation=participation, decided_by=poster, accept=True)


# --- seats ------------------------------------------------------------------------


def test_it_holds_a_seat_for_an_application(org, assignment):
    participation = apply(assignment, org.engineer)

    assert participation.status == Status.APPLIED
    assert seats_taken(assignment) == 1
    assert selectors.stretch_get(assignment_id=assignment.pk).seats_left == 2


def test_it_refuses_an_application_when_every_seat_is_taken(org, assignment):
    for person in UserFactory.create_batch(3):
        apply(assignment, person)

    with pytest.raises(ApplicationError, match="All 3 seats are taken") as refused:
        apply(assignment, org.engineer)

    assert "check back later" in refused.value.message
    assert not assignment.participations.filter(person=org.engineer).exists()
    assert seats_taken(assignment) == 3


def test_it_says_the_only_seat_is_taken_when_there_is_one(org, revision):
    assignment = make_assignment(org.manager, revision, seats=1)
    apply(assignment, org.peer)

    with pytest.raises(ApplicationError, match="The only seat is taken"):
        apply(assignment, org.engineer)


def test_it_frees_the_seat_when_the_poster_declines(org, assignment):
    first, *_ = [apply(assignment, person) for person in UserFactory.create_batch(3)]

    stretch_decide(participation=first, decided_by=org.manager, accept=False)

    first.refresh_from_db()
    assert first.status == Status.DECLINED
    assert first.decided_at is not None
    assert seats_taken(assignment) == 2
    assert apply(assignment, org.engineer).status == Status.APPLIED


def test_it_frees_the_seat_when_the_applicant_withdraws_and_lets_them_apply_again(org, assignment):
    participation = apply(assignment, org.engineer)

    stretch_withdraw(participation=participation, person=org.engineer)
    assert seats_taken(assignment) == 0

    again = apply(assignment, org.engineer, motivation="Changed my mind: I have the time now.")
    assert again.pk == participation.pk
    assert again.status == Status.APPLIED
    assert again.motivation == "Changed my mind: I have the time now."
    assert seats_taken(assignment) == 1


def test_it_lets_only_the_applicant_withdraw(org, assignment):
    participation = apply(assignment, org.engineer)

    with pytest.raises(ApplicationError, match="Only the applicant"):
        stretch_withdraw(participation=participation, person=org.peer)


def test_it_refuses_applying_twice(org, assignment):
    apply(assignment, org.engineer)

    with pytest.raises(ApplicationError, match="You already applied"):
        apply(assignment, org.engineer)
    assert seats_taken(assignment) == 1


def test_it_refuses_a_declined_applicant_applying_again(org, assignment):
    participation = apply(assignment, org.engineer)
    stretch_decide(participation=participation, decided_by=org.manager, accept=False)

    with pytest.raises(ApplicationError, match="was declined"):
        apply(assignment, org.engineer)


def test_it_refuses_the_poster_applying_to_their_own(org, assignment):
    with pytest.raises(ApplicationError, match="You posted this assignment"):
        apply(assignment, org.manager)


def test_it_refuses_a_closed_assignment(org, assignment):
    StretchAssignment.objects.filter(pk=assignment.pk).update(status="closed")

    with pytest.raises(ApplicationError, match="closed to applications"):
        apply(assignment, org.engineer)


def test_it_refuses_an_assignment_that_is_over(org, revision):
    over = make_assignment(org.manager, revision, starts_on=days(-60), ends_on=days(-1))

    with pytest.raises(ApplicationError, match="This assignment is over"):
        apply(over, org.engineer)


def test_it_asks_for_a_motivation(org, assignment):
    with pytest.raises(ApplicationError) as refused:
        apply(assignment, org.engineer, motivation="   ")

    assert refused.value.field == "motivation"


# --- the concurrent-commitment limit -----------------------------------------------


def test_it_refuses_going_over_the_limit_with_a_message_naming_the_limit(org, assignment):
    put_on(org.engineer, "Search relevance", "On-call handbook", poster=org.other_manager)

    with pytest.raises(ApplicationError) as refused:
        apply(assignment, org.engineer)

    assert refused.value.message == (
        "You already have 2 concurrent commitments (the limit is 2): "
        "“Search relevance”, “On-call handbook”. Finish or withdraw from one first."
    )
    assert seats_taken(assignment) == 0


def test_it_reads_the_limit_from_settings(org, assignment, settings):
    settings.GROWTH_COMMITMENT_LIMIT = 1
    put_on(org.engineer, "Search relevance", poster=org.other_manager)

    with pytest.raises(ApplicationError, match=r"1 concurrent commitment \(the limit is 1\)"):
        apply(assignment, org.engineer)


def test_it_does_not_count_assignments_that_have_ended_or_were_withdrawn(org, assignment):
    put_on(org.engineer, "Search relevance", "On-call handbook", poster=org.other_manager)
    ended, withdrawn = StretchParticipation.objects.filter(person=org.engineer)
    StretchAssignment.objects.filter(pk=ended.assignment_id).update(ends_on=days(-1))
    stretch_withdraw(participation=withdrawn, person=org.engineer)

    assert commitments.active_commitments(person=org.engineer) == 0
    assert apply(assignment, org.engineer).status == Status.APPLIED


def test_it_rechecks_the_limit_when_the_poster_accepts(org, revision):
    applications = [
        apply(make_assignment(org.manager, revision, title=f"Project {n}"), org.engineer)
        for n in range(3)
    ]
    for participation in applications[:2]:
        stretch_decide(participation=participation, decided_by=org.manager, accept=True)

    with pytest.raises(ApplicationError) as refused:
        stretch_decide(participation=applications[2], decided_by=org.manager, accept=True)

    assert "Eli Novak already has 2 concurrent commitments (the limit is 2)" in (
        refused.value.message
    )
    applications[2].refresh_from_db()
    assert applications[2].status == Status.APPLIED


ELSEWHERE_COUNTS: dict[int, int] = {}
ELSEWHERE = commitments.CommitmentSource(
    key="elsewhere",
    counts=lambda person_ids: ELSEWHERE_COUNTS,
    names=lambda person: ["Q3 mentorship rotation"] if person.pk in ELSEWHERE_COUNTS else [],
)


def test_it_counts_commitments_that_another_app_adds(org, assignment, monkeypatch, settings):
    # A kind of commitment named in settings as mentorship's rotations are.
    settings.COMMITMENT_SOURCES = [*settings.COMMITMENT_SOURCES, f"{__name__}.ELSEWHERE"]
    monkeypatch.setitem(ELSEWHERE_COUNTS, org.engineer.pk, 1)
    commitments.sources.cache_clear()
    monkeypatch.setattr(commitments, "sources", commitments.sources.__wrapped__)
    put_on(org.engineer, "Search relevance", poster=org.other_manager)

    with pytest.raises(ApplicationError) as refused:
        apply(assignment, org.engineer)

    assert "“Search relevance”, “Q3 mentorship rotation”" in refused.value.message


# --- decisions and completion ------------------------------------------------------


def test_it_lets_only_the_poster_or_the_people_team_decide(org, assignment):
    participation = apply(assignment, org.engineer)

    with pytest.raises(ApplicationError, match="Only the poster or the people team"):
        stretch_decide(participation=participation, decided_by=org.director, accept=True)

    stretch_decide(participation=participation, decided_by=org.hr, accept=True)
    participation.refresh_from_db()
    assert participation.status == Status.ACCEPTED
    assert seats_taken(assignment) == 1


def test_it_records_the_outcome_when_completing_and_offers_it_as_evidence(org, assignment):
    participation = apply(assignment, org.engineer)
    stretch_decide(participation=participation, decided_by=org.manager, accept=True)

    stretch_complete(
        participation=participation, by=org.manager, outcome="  Moved billing to the queue.  "
    )

    participation.refresh_from_db()
    assert participation.status == Status.COMPLETED
    assert participation.completed_at is not None
    assert participation.outcome == "Moved billing to the queue."
    assert list(selectors.completed_stretch_for(person=org.engineer)) == [participation]
    assert list(selectors.completed_stretch_for(person=org.engineer, competency_code="code")) == [
        participation
    ]
    assert not selectors.completed_stretch_for(person=org.engineer, competency_code="people")
    assert not selectors.completed_stretch_for(person=org.peer)
    assert commitments.active_commitments(person=org.engineer) == 0


def test_it_offers_evidence_by_code_across_ladder_revisions(org, assignment):
    participation = apply(assignment, org.engineer)
    stretch_decide(participation=participation, decided_by=org.manager, accept=True)
    stretch_complete(participation=participation, by=org.manager, outcome="Done.")
    newer = RevisionFactory(ladder=assignment.competencies.first().revision.ladder, number=2)
    CompetencyFactory(revision=newer, code="code", name="Code (renamed)")

    found = selectors.completed_stretch_for(person=org.engineer, competency_code="code")

    assert list(found) == [participation]


def test_it_refuses_completing_without_an_outcome_or_before_acceptance(org, assignment):
    participation = apply(assignment, org.engineer)

    with pytest.raises(ApplicationError, match="Only accepted participants"):
        stretch_complete(participation=participation, by=org.manager, outcome="Done.")

    stretch_decide(participation=participation, decided_by=org.manager, accept=True)
    with pytest.raises(ApplicationError) as refused:
        stretch_complete(participation=participation, by=org.manager, outcome=" ")
    assert refused.value.field == "outcome"


def test_it_lets_only_the_poster_or_the_people_team_complete(org, assignment):
    participation = apply(assignment, org.engineer)
    stretch_decide(participation=participation, decided_by=org.manager, accept=True)

    with pytest.raises(ApplicationError, match="Only the poster or the people team"):
        stretch_complete(participation=participation, by=org.engineer, outcome="I did it.")


# --- posting -----------------------------------------------------------------------


def post(poster, revision, **overrides):
    fields = {
        "posted_by": poster,
        "title": "  Lead the incident review  ",
        "description": "Run the next three incident reviews.",
        "competencies": [competency(revision, "people")],
        "team": None,
        "hours_per_week": 3,
        "seats": 2,
        "starts_on": days(3),
        "ends_on": days(60),
        "cross_functional": True,
    }
    return stretch_post(**{**fields, **overrides})


def test_it_lets_a_manager_post_an_assignment(org, revision):
    assignment = post(org.manager, revision, team=org.payments)

    assert assignment.title == "Lead the incident review"
    assert assignment.posted_by == org.manager
    assert [c.code for c in assignment.competencies.all()] == ["people"]
    assert assignment.status == StretchAssignment.Status.OPEN


def test_it_lets_the_people_team_post_but_not_an_engineer(org, revision):
    assert post(org.hr, revision).posted_by == org.hr

    with pytest.raises(ApplicationError, match="Only managers and the people team"):
        post(org.engineer, revision)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"starts_on": days(30), "ends_on": days(10)}, "ends_on"),
        ({"starts_on": days(-30), "ends_on": days(-1)}, "ends_on"),
        ({"competencies": []}, "competencies"),
        ({"hours_per_week": 0}, "hours_per_week"),
    ],
)
def test_it_refuses_an_assignment_that_does_not_make_sense(org, revision, overrides, field):
    with pytest.raises(ApplicationError) as refused:
        post(org.manager, revision, **overrides)

    assert refused.value.field == field
    assert not StretchAssignment.objects.exists()


def test_it_refuses_competencies_from_a_draft_revision(org, revision):
    draft = RevisionFactory(ladder=revision.ladder, number=2, status="draft")
    unpublished = CompetencyFactory(revision=draft, code="new-thing")

    with pytest.raises(ApplicationError, match="published ladder revision"):
        post(org.manager, revision, competencies=[unpublished])
