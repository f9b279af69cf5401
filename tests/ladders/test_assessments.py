"""Assessment services and selectors: who starts one, how each side is saved and
submitted, finalising, and the revision an assessment keeps pointing at."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from ladders.exchange import check
from ladders.models import (
    Assessment,
    AssessmentRequest,
    CompetencyRating,
    Side,
    StretchParticipation,
)
from ladders.selectors.assessments import assessment_sheet, assessment_todo
from ladders.services.assessments import (
    MissingRatings,
    assessment_finalise,
    assessment_save_side,
    assessment_start,
)
from ladders.services.requests import assessment_request, assessment_request_notify
from ladders.services.revisions import ladder_import
from people.errors import ApplicationError
from people.models import User
from tests.ladders.factories import PlacementFactory, StretchAssignmentFactory, published_ladder
from tests.messaging.fixtures import deliver_notices
from tests.people.factories import UserFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db

NOTIFY_TASK = "ladders.tasks.assessment_request_notify_task"


# --- helpers shared with the view tests ----------------------------------------------


def place(person, revision, code="L2", since=dt.date(2025, 1, 1)):
    return PlacementFactory(person=person, level=revision.levels.get(code=code), since=since)


def competencies_of(assessment):
    return list(assessment.level.revision.competencies.order_by("position"))


def answers(assessment, rating=3, evidence="Shipped it", stretch=None):
    """The same answer for every competency of the assessment."""
    return {c.pk: (rating, evidence, stretch) for c in competencies_of(assessment)}


def submit(assessment, side, author, rating=3, evidence="Shipped it"):
    return assessment_save_side(
        assessment=assessment,
        side=side,
        author=author,
        ratings=answers(assessment, rating, evidence),
        submit=True,
    )


def save_self(org, assessment, ratings, submit=False):
    """org.engineer saves their own side of the assessment (a draft unless `submit`)."""
    return assessment_save_side(
        assessment=assessment, side=Side.SELF, author=org.engineer, ratings=ratings, submit=submit
    )


def in_review(org, revision, self_rating=3, manager_rating=3):
    """An assessment of org.engineer with both sides submitted."""
    place(org.engineer, revision)
    assessment = assessment_start(person=org.engineer, started_by=org.manager)
    submit(assessment, Side.SELF, org.engineer, self_rating, "Self evidence")
    return submit(assessment, Side.MANAGER, org.manager, manager_rating, "Manager evidence")


def completed_stretch(person):
    return StretchParticipation.objects.create(
        assignment=StretchAssignmentFactory(),
        person=person,
        status=StretchParticipation.Status.COMPLETED,
        completed_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )


def ladder_file(text_prefix: str) -> dict:
    levels = ["L1", "L2", "L3"]
    competencies = ["code", "design"]
    return {
        "ladder": {"slug": "engineering", "name": "Engineering"},
        "levels": [{"code": c, "name": f"Engineer {c}", "track": "ic"} for c in levels],
        "competencies": [{"code": c, "name": c.title(), "theme": "Craft"} for c in competencies],
        "expectations": [
            {"level": lvl, "competency": c, "text": f"{text_prefix}: {lvl} {c}"}
            for lvl in levels
            for c in competencies
        ],
    }


def ratings_of(assessment, side):
    return list(
        CompetencyRating.objects.filter(assessment=assessment, side=side)
        .order_by("competency__position")
        .values_list("rating", "evidence")
    )


# --- starting ----------------------------------------------------------------------


def test_it_starts_an_assessment_against_the_current_level_with_empty_ratings(org):
    revision = published_ladder()
    place(org.engineer, revision, "L1", since=dt.date(2024, 1, 1))
    current = place(org.engineer, revision, "L2", since=dt.date(2025, 1, 1))

    assessment = assessment_start(person=org.engineer, started_by=org.manager)

    assert assessment.level == current.level
    assert assessment.manager == org.manager
    assert assessment.started_by == org.manager
    assert assessment.status == Assessment.Status.OPEN
    assert ratings_of(assessment, Side.SELF) == [(None, "")] * 3
    assert ratings_of(assessment, Side.MANAGER) == [(None, "")] * 3


@pytest.mark.parametrize("role", ["manager", "director", "cto", "hr"])
def test_it_lets_the_manager_chain_and_the_people_team_start_one(org, role):
    place(org.engineer, published_ladder())
    assessment = assessment_start(person=org.engineer, started_by=getattr(org, role))
    assert assessment.manager == org.manager  # the direct manager writes, whoever started


@pytest.mark.parametrize("role", ["peer", "other_manager"])
def test_it_refuses_a_start_by_anyone_outside_the_chain(org, role):
    # Changed with issue 9: the person may now start their own (a self-assessment).
    place(org.engineer, published_ladder())
    with pytest.raises(ApplicationError, match="their managers or the people team"):
        assessment_start(person=org.engineer, started_by=getattr(org, role))
    assert not Assessment.objects.exists()


def test_it_lets_a_person_start_their_own_and_tells_their_manager_once(
    org, django_capture_on_commit_callbacks
):
    place(org.engineer, published_ladder())
    with django_capture_on_commit_callbacks() as callbacks:
        assessment = assessment_start(person=org.engineer, started_by=org.engineer)
    assert len(callbacks) == 1  # the email job, sent once the start commits

    assert assessment.manager == org.manager  # the manager still writes their side
    assert assessment.started_by == org.engineer
    told = AssessmentRequest.objects.get(person=org.engineer)
    assert (told.kind, told.assessment, told.manager) == ("started", assessment, org.manager)
    assert Job.objects.filter(task=NOTIFY_TASK, args=[told.pk]).count() == 1
    assert assessment_request_notify(request_id=told.pk) is True  # what the task runs
    deliver_notices()  # the email's own job
    assert [m.to for m in mail.outbox] == [["manager@example.com"]]
    assert "Eli Novak started a self-assessment" in mail.outbox[0].subject
    assert f"/assessments/{assessment.pk}/" in mail.outbox[0].body
    assert assessment_request_notify(request_id=told.pk) is False  # a rerun sends nothing
    deliver_notices()
    assert len(mail.outbox) == 1


def test_it_lets_a_people_team_member_start_their_own(org):
    # Changed with issue 9: everyone may start their own self-assessment.
    org.hr.manager = org.cto
    org.hr.save()
    place(org.hr, published_ladder())
    assessment = assessment_start(person=org.hr, started_by=org.hr)
    assert assessment.manager == org.cto


# --- asking the manager for an assessment ---------------------------------------------


def test_it_records_a_request_and_emails_the_manager_once_after_commit(
    org, django_capture_on_commit_callbacks
):
    place(org.engineer, published_ladder())
    with django_capture_on_commit_callbacks() as callbacks:
        asked = assessment_request(person=org.engineer, note="  Ready to talk about L3.  ")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert Job.objects.filter(task=NOTIFY_TASK, args=[asked.pk]).count() == 1
    assert assessment_request_notify(request_id=asked.pk) is True  # what the task runs
    deliver_notices()  # the email's own job

    assert (asked.kind, asked.manager) == ("ask", org.manager)
    assert asked.note == "Ready to talk about L3."
    assert [m.to for m in mail.outbox] == [["manager@example.com"]]
    assert mail.outbox[0].subject == "Eli Novak asks you for an assessment"
    assert "Ready to talk about L3." in mail.outbox[0].body
    assert f"/people/{org.engineer.pk}/assessments/" in mail.outbox[0].body
    assert assessment_request_notify(request_id=asked.pk) is False
    deliver_notices()
    assert len(mail.outbox) == 1


def test_it_refuses_a_second_request_while_the_first_is_unanswered(org):
    place(org.engineer, published_ladder())
    assessment_request(person=org.engineer)
    with pytest.raises(ApplicationError, match="already asked Mia Chen"):
        assessment_request(person=org.engineer)
    assert AssessmentRequest.objects.count() == 1


def test_it_answers_the_request_when_the_manager_starts_the_assessment(org):
    place(org.engineer, published_ladder())
    asked = assessment_request(person=org.engineer)

    assessment = assessment_start(person=org.engineer, started_by=org.manager)

    asked.refresh_from_db()
    assert asked.assessment == assessment
    assert asked.answered_at is not None
    assessment_finalise(
        assessment=submit(submit(assessment, Side.SELF, org.engineer), Side.MANAGER, org.manager),
        manager=org.manager,
        summary="",
    )
    assert assessment_request(person=org.engineer).is_open  # a new one may be asked later


@pytest.mark.parametrize(
    "setup,message",
    [
        ("no_level", "no level on a ladder"),
        ("no_manager", "no manager on record"),
        ("open_assessment", "already have an assessment in progress"),
        ("long_note", "under 1000 characters"),
    ],
)
def test_it_refuses_a_request_that_cannot_be_answered(org, setup, message):
    person, note = org.engineer, ""
    if setup != "no_level":
        place(person, published_ladder())
    if setup == "no_manager":
        person.manager = None
        person.save()
    if setup == "open_assessment":
        assessment_start(person=person, started_by=org.manager)
    if setup == "long_note":
        note = "x" * 1001
    with pytest.raises(ApplicationError, match=message):
        assessment_request(person=person, note=note)
    assert not AssessmentRequest.objects.filter(kind="ask").exists()


def test_it_refuses_a_person_with_no_level(org):
    with pytest.raises(ApplicationError, match="no level"):
        assessment_start(person=org.engineer, started_by=org.manager)


def test_it_refuses_a_person_with_no_manager(org):
    place(org.cto, published_ladder())
    with pytest.raises(ApplicationError, match="no manager"):
        assessment_start(person=org.cto, started_by=org.hr)


def test_it_refuses_a_second_assessment_while_one_is_open(org):
    place(org.engineer, published_ladder())
    assessment_start(person=org.engineer, started_by=org.manager)
    with pytest.raises(ApplicationError, match="already has an assessment in progress"):
        assessment_start(person=org.engineer, started_by=org.director)
    assert Assessment.objects.count() == 1


def test_it_starts_a_new_assessment_once_the_last_is_final(org):
    assessment = in_review(org, published_ladder())
    assessment_finalise(assessment=assessment, manager=org.manager, summary="")
    again = assessment_start(person=org.engineer, started_by=org.manager)
    assert again.status == Assessment.Status.OPEN
    assert Assessment.objects.count() == 2


def _start_queries(org, competencies, slug):
    person = UserFactory(manager=org.manager)
    place(person, published_ladder(competencies=competencies, slug=slug))
    starter = User.objects.get(pk=org.manager.pk)  # fresh: no role cached from a previous call
    with CaptureQueriesContext(connection) as captured:
        assessment_start(person=person, started_by=starter)
    return len(captured)


def test_it_starts_in_the_same_number_of_queries_for_3_and_12_competencies(org):
    few = _start_queries(org, [f"c{i}" for i in range(3)], "small")
    many = _start_queries(org, [f"c{i}" for i in range(12)], "large")
    assert few == many


# --- writing a side ------------------------------------------------------------------


@pytest.fixture
def started(org):
    place(org.engineer, published_ladder())
    return assessment_start(person=org.engineer, started_by=org.manager)


def test_it_saves_a_partial_draft_and_keeps_it(org, started):
    code, design, _people = competencies_of(started)
    save_self(
        org, started, {code.pk: (3, "  Reviewed 40 PRs  ", None), design.pk: (None, "Notes", None)}
    )
    assert ratings_of(started, Side.SELF) == [(3, "Reviewed 40 PRs"), (None, "Notes"), (None, "")]
    started.refresh_from_db()
    assert started.self_submitted_at is None
    assert started.status == Assessment.Status.OPEN


def test_it_refuses_a_submit_with_missing_ratings_listing_them_and_keeps_the_draft(org, started):
    code, design, people = competencies_of(started)
    save_self(org, started, {code.pk: (2, "Draft evidence", None)})
    with pytest.raises(MissingRatings) as refused:
        save_self(org, started, {design.pk: (4, "New evidence", None)}, submit=True)
    assert "Not rated yet: People." in refused.value.message
    assert refused.value.competencies == [people]
    # The refused submit wrote nothing; the earlier draft is still there.
    assert ratings_of(started, Side.SELF) == [(2, "Draft evidence"), (None, ""), (None, "")]
    started.refresh_from_db()
    assert started.self_submitted_at is None


def test_it_lists_every_missing_competency_on_submit(org, started):
    with pytest.raises(ApplicationError, match=r"Not rated yet: Code, Design, People\."):
        save_self(org, started, {}, submit=True)


@pytest.mark.parametrize(
    "side,role",
    [
        (Side.SELF, "manager"),
        (Side.SELF, "director"),
        (Side.SELF, "hr"),
        (Side.MANAGER, "engineer"),
        (Side.MANAGER, "director"),
        (Side.MANAGER, "hr"),
    ],
)
def test_it_lets_only_the_person_and_the_manager_write_their_own_side(org, started, side, role):
    with pytest.raises(ApplicationError, match="Only"):
        submit(started, side, getattr(org, role))
    assert ratings_of(started, side) == [(None, "")] * 3


def test_it_moves_to_review_only_once_both_sides_are_submitted(org, started):
    submit(started, Side.MANAGER, org.manager)
    started.refresh_from_db()
    assert started.status == Assessment.Status.OPEN
    assert started.manager_submitted_at is not None

    submit(started, Side.SELF, org.engineer)
    started.refresh_from_db()
    assert started.status == Assessment.Status.REVIEW
    assert started.self_submitted_at is not None


def test_it_refuses_to_change_a_submitted_side(org, started):
    submit(started, Side.SELF, org.engineer, 3, "First answer")
    for submit_again in (False, True):
        with pytest.raises(ApplicationError, match="submitted"):
            save_self(org, started, answers(started, 1, "Changed my mind"), submit=submit_again)
    assert ratings_of(started, Side.SELF) == [(3, "First answer")] * 3


def test_it_refuses_any_change_to_a_final_assessment(org):
    assessment = in_review(org, published_ladder())
    assessment_finalise(assessment=assessment, manager=org.manager, summary="Well done")
    for side, author in ((Side.SELF, org.engineer), (Side.MANAGER, org.manager)):
        with pytest.raises(ApplicationError, match="finalised"):
            assessment_save_side(
                assessment=assessment,
                side=side,
                author=author,
                ratings=answers(assessment, 1, "Rewritten"),
                submit=False,
            )
    assert ratings_of(assessment, Side.SELF) == [(3, "Self evidence")] * 3
    assert ratings_of(assessment, Side.MANAGER) == [(3, "Manager evidence")] * 3


def test_it_refuses_a_rating_off_the_scale(org, started):
    code = competencies_of(started)[0]
    with pytest.raises(ApplicationError, match="not on the scale"):
        save_self(org, started, {code.pk: (5, "", None)})


def test_it_refuses_a_competency_from_another_revision(org, started):
    stranger = published_ladder(slug="other").competencies.first()
    with pytest.raises(ApplicationError, match="not part of this assessment"):
        save_self(org, started, {stranger.pk: (3, "", None)})


def test_it_links_evidence_to_a_completed_stretch_assignment_of_the_person(org, started):
    done = completed_stretch(org.engineer)
    code = competencies_of(started)[0]
    assessment_save_side(
        assessment=started,
        side=Side.MANAGER,
        author=org.manager,
        ratings={code.pk: (4, "Led the queue migration", done.pk)},
        submit=False,
    )
    row = CompetencyRating.objects.get(assessment=started, side=Side.MANAGER, competency=code)
    assert row.stretch == done


def test_it_refuses_a_stretch_assignment_not_completed_or_of_someone_else(org, started):
    others = completed_stretch(org.peer)
    ongoing = completed_stretch(org.engineer)
    ongoing.status = StretchParticipation.Status.ACCEPTED
    ongoing.save()
    code = competencies_of(started)[0]
    for stretch in (others, ongoing):
        with pytest.raises(ApplicationError, match="completed"):
            save_self(org, started, {code.pk: (3, "", stretch.pk)})
    assert not CompetencyRating.objects.filter(stretch__isnull=False).exists()


def _save_queries(org, competencies, slug):
    person = UserFactory(manager=org.manager)
    place(person, published_ladder(competencies=competencies, slug=slug))
    assessment = assessment_start(person=person, started_by=org.manager)
    with CaptureQueriesContext(connection) as captured:
        submit(assessment, Side.SELF, person)
    return len(captured)


def test_it_saves_a_side_in_the_same_number_of_queries_for_3_and_12_competencies(org):
    few = _save_queries(org, [f"c{i}" for i in range(3)], "small")
    many = _save_queries(org, [f"c{i}" for i in range(12)], "large")
    assert few == many


# --- finalising ----------------------------------------------------------------------


def test_it_lets_the_manager_finalise_an_assessment_in_review(org):
    assessment = in_review(org, published_ladder(), self_rating=4, manager_rating=3)
    assessment_finalise(assessment=assessment, manager=org.manager, summary="  Keep going.  ")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL
    assert assessment.finalised_at is not None
    assert assessment.summary == "Keep going."


@pytest.mark.parametrize("role", ["engineer", "director", "hr"])
def test_it_lets_nobody_but_the_assigned_manager_finalise(org, role):
    assessment = in_review(org, published_ladder())
    with pytest.raises(ApplicationError, match="Only"):
        assessment_finalise(assessment=assessment, manager=getattr(org, role), summary="")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.REVIEW


def test_it_refuses_to_finalise_before_both_sides_are_submitted(org, started):
    submit(started, Side.MANAGER, org.manager)
    with pytest.raises(ApplicationError, match="Both sides"):
        assessment_finalise(assessment=started, manager=org.manager, summary="")
    started.refresh_from_db()
    assert started.status == Assessment.Status.OPEN


def test_it_refuses_to_finalise_twice(org):
    assessment = in_review(org, published_ladder())
    assessment_finalise(assessment=assessment, manager=org.manager, summary="First")
    with pytest.raises(ApplicationError, match="already finalised"):
        assessment_finalise(assessment=assessment, manager=org.manager, summary="Second")
    assessment.refresh_from_db()
    assert assessment.summary == "First"


# --- reading -------------------------------------------------------------------------


def test_it_keeps_the_expectations_an_assessment_was_made_against(org):
    first = ladder_import(data=check(ladder_file("Old")), publish=True)
    place(org.engineer, first)
    assessment = assessment_start(person=org.engineer, started_by=org.manager)

    second = ladder_import(data=check(ladder_file("New")), publish=True)
    assert second.number == first.number + 1

    sheet = assessment_sheet(assessment=assessment, sides=[Side.SELF])
    assert [row.at_level.text for row in sheet.rows] == ["Old: L2 code", "Old: L2 design"]
    assert [row.at_next.text for row in sheet.rows] == ["Old: L3 code", "Old: L3 design"]


def test_it_shows_only_the_sides_asked_for_and_flags_differences(org):
    assessment = in_review(org, published_ladder(), self_rating=4, manager_rating=2)
    only_self = assessment_sheet(assessment=assessment, sides=[Side.SELF])
    assert all(row.manager_rating is None for row in only_self.rows)
    assert all(row.difference is None for row in only_self.rows)

    both = assessment_sheet(assessment=assessment, sides=[Side.SELF, Side.MANAGER])
    assert [row.difference for row in both.rows] == [2, 2, 2]
    assert both.difference_count == 3
    assert [theme for theme, _rows in both.themes] == ["Craft", "Leadership"]


def test_it_lists_what_each_person_has_to_do(org):
    revision = published_ladder()
    place(org.engineer, revision)
    place(org.peer, revision)
    mine = assessment_start(person=org.engineer, started_by=org.manager)
    peers = assessment_start(person=org.peer, started_by=org.other_manager)
    submit(peers, Side.SELF, org.peer)
    submit(peers, Side.MANAGER, org.other_manager)

    assert [(t.assessment, t.task) for t in assessment_todo(viewer=org.engineer)] == [
        (mine, "self")
    ]
    assert [(t.assessment, t.task) for t in assessment_todo(viewer=org.manager)] == [
        (mine, "manager")
    ]
    assert [(t.assessment, t.task) for t in assessment_todo(viewer=org.other_manager)] == [
        (peers, "finalise")
    ]
    assert assessment_todo(viewer=org.peer) == []
    assert assessment_todo(viewer=org.director) == []

    submit(mine, Side.SELF, org.engineer)
    assert assessment_todo(viewer=org.engineer) == []


# --- races: only a real database with row locks shows them -----------------------------


def _together(count, work):
    """work(0) ... work(count - 1), all at the same moment; how each ended."""
    return run_together([lambda i=i: work(i) for i in range(count)])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_opens_exactly_one_assessment_when_six_starts_race(org):
    place(org.engineer, published_ladder())
    starters = [org.manager, org.director, org.cto, org.hr, org.manager, org.director]

    outcomes = _together(
        len(starters),
        lambda i: assessment_start(
            person=org.engineer, started_by=User.objects.get(pk=starters[i].pk)
        ),
    )

    assert outcomes.count("done") == 1, outcomes
    assert all("already has an assessment in progress" in o for o in outcomes if o != "done")
    assert Assessment.objects.filter(person=org.engineer).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_moves_to_review_when_both_sides_submit_at_the_same_moment(org):
    place(org.engineer, published_ladder())
    assessment = assessment_start(person=org.engineer, started_by=org.manager)
    authors = [(Side.SELF, org.engineer), (Side.MANAGER, org.manager)]

    outcomes = _together(2, lambda i: submit(assessment, authors[i][0], authors[i][1]))

    assert outcomes == ["done", "done"]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.REVIEW
