"""Assessment pages: what each role sees and may do, the blind fill-in, the
side-by-side review, read-only history, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladders.exchange import check
from ladders.models import Assessment, AssessmentRequest, CompetencyRating, Side
from ladders.services.assessments import assessment_finalise, assessment_save_side
from ladders.services.assessments import assessment_start as start
from ladders.services.revisions import ladder_import
from tests.ladders.factories import published_ladder
from tests.ladders.test_assessments import (
    answers,
    competencies_of,
    completed_stretch,
    in_review,
    ladder_file,
    place,
    ratings_of,
    submit,
)
from tests.pages import as_, main, sent_to_sign_in
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERY_ROLE = ["engineer", "manager", "director", "hr", "peer", "other_manager"]


def detail_url(assessment):
    return reverse("ladders:assessment_detail", args=[assessment.pk])


def form_data(assessment, action, rating="3", evidence="Evidence"):
    data = {"action": action}
    for competency in competencies_of(assessment):
        data[f"rating_{competency.pk}"] = rating
        data[f"evidence_{competency.pk}"] = evidence
    return data


def save_draft(assessment, side, author, evidence):
    assessment_save_side(
        assessment=assessment,
        side=side,
        author=author,
        ratings=answers(assessment, None, evidence),
        submit=False,
    )


@pytest.fixture
def started(org):
    place(org.engineer, published_ladder())
    return start(person=org.engineer, started_by=org.manager)


# --- anonymous visitors sign in first ------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in_from_every_page(client, org, started):
    pages = [
        ("get", reverse("ladders:assessment_todo")),
        ("get", reverse("ladders:assessment_list", args=[org.engineer.pk])),
        ("get", detail_url(started)),
        ("post", detail_url(started)),
        ("post", reverse("ladders:assessment_start", args=[org.engineer.pk])),
        ("post", reverse("ladders:assessment_finalise", args=[started.pk])),
    ]
    for method, url in pages:
        assert sent_to_sign_in(getattr(client, method)(url)), url


# --- a person's assessments ------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status,start_button",
    [
        ("engineer", 200, False),  # the person starts a self-assessment instead (below)
        ("manager", 200, True),
        ("director", 200, True),  # skip-level
        ("hr", 200, True),  # people team
        ("peer", 404, False),
        ("other_manager", 404, False),
    ],
)
def test_it_shows_a_persons_assessments_to_them_their_chain_and_the_people_team(
    client, org, role, status, start_button
):
    place(org.engineer, published_ladder())
    response = as_(client, getattr(org, role)).get(
        reverse("ladders:assessment_list", args=[org.engineer.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "Assessments of Eli Novak" in main(response)
        assert ("Start an assessment</button>" in main(response)) is start_button


def test_it_lists_past_assessments_with_their_level_and_revision(client, org):
    assessment = in_review(org, published_ladder())
    assessment_finalise(assessment=assessment, manager=org.manager, summary="")
    body = main(
        as_(client, org.engineer).get(reverse("ladders:assessment_list", args=[org.engineer.pk]))
    )
    assert "L2 Engineer L2" in body
    assert "Engineering, revision 1" in body
    assert "Finalised" in body
    assert detail_url(assessment) in body


def test_it_links_to_the_open_assessment_instead_of_offering_a_second(client, org, started):
    body = main(
        as_(client, org.manager).get(reverse("ladders:assessment_list", args=[org.engineer.pk]))
    )
    assert "An assessment is in progress" in body
    assert detail_url(started) in body
    assert "Start an assessment</button>" not in body


def test_it_answers_404_for_a_person_who_does_not_exist(client, org):
    response = as_(client, org.hr).get(reverse("ladders:assessment_list", args=[99999]))
    assert response.status_code == 404


# --- starting ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "director", "hr"])
def test_it_lets_the_manager_chain_and_the_people_team_start_an_assessment(client, org, role):
    place(org.engineer, published_ladder())
    response = as_(client, getattr(org, role)).post(
        reverse("ladders:assessment_start", args=[org.engineer.pk]), follow=True
    )
    assessment = Assessment.objects.get(person=org.engineer)
    assert response.redirect_chain[-1][0] == detail_url(assessment)
    assert "Assessment started" in main(response)
    assert assessment.manager == org.manager


def test_it_lets_the_person_start_a_self_assessment_and_says_the_manager_is_told(client, org):
    # Changed with issue 9: before, the person was refused with a message.
    place(org.engineer, published_ladder())
    page = main(
        as_(client, org.engineer).get(reverse("ladders:assessment_list", args=[org.engineer.pk]))
    )
    assert "Start a self-assessment</button>" in page
    assert "Ask for an assessment</button>" in page

    response = as_(client, org.engineer).post(
        reverse("ladders:assessment_start", args=[org.engineer.pk]), follow=True
    )

    assessment = Assessment.objects.get(person=org.engineer)
    assert response.redirect_chain[-1][0] == detail_url(assessment)
    assert "Self-assessment started. Mia Chen is told by email" in main(response)
    assert assessment.started_by == org.engineer
    assert AssessmentRequest.objects.get().kind == "started"


def test_it_lets_the_person_ask_their_manager_and_shows_the_request(client, org):
    place(org.engineer, published_ladder())
    url = reverse("ladders:assessment_request", args=[org.engineer.pk])

    response = as_(client, org.engineer).post(url, {"note": "Ready for L3?"}, follow=True)

    assert "Mia Chen is told by email that you asked for an assessment." in main(response)
    assert "You asked Mia Chen for an assessment on" in main(response)
    assert "Ask for an assessment</button>" not in main(response)
    asked = AssessmentRequest.objects.get()
    assert (asked.person, asked.manager, asked.note) == (org.engineer, org.manager, "Ready for L3?")
    todo = main(as_(client, org.manager).get(reverse("ladders:assessment_todo")))
    assert "Asked for an assessment" in todo and "Ready for L3?" in todo


def test_it_keeps_the_note_and_names_the_problem_when_a_request_is_refused(client, org):
    org.engineer.manager = None
    org.engineer.save()
    place(org.engineer, published_ladder())

    response = as_(client, org.engineer).post(
        reverse("ladders:assessment_request", args=[org.engineer.pk]), {"note": "Please"}
    )

    assert response.status_code == 400
    assert "no manager on record" in main(response)
    assert "Please</textarea>" in main(response)
    assert not AssessmentRequest.objects.exists()


@pytest.mark.parametrize("role", ["manager", "hr", "peer"])
def test_it_lets_only_the_person_ask_for_their_assessment(client, org, role):
    place(org.engineer, published_ladder())
    response = as_(client, getattr(org, role)).post(
        reverse("ladders:assessment_request", args=[org.engineer.pk])
    )
    assert response.status_code == 404
    assert not AssessmentRequest.objects.exists()


def test_it_sends_an_anonymous_request_to_sign_in(client, org):
    response = client.post(reverse("ladders:assessment_request", args=[org.engineer.pk]))
    assert response.status_code == 302
    assert not AssessmentRequest.objects.exists()


@pytest.mark.parametrize("role", ["peer", "other_manager"])
def test_it_answers_404_to_a_start_by_someone_outside_the_chain(client, org, role):
    place(org.engineer, published_ladder())
    response = as_(client, getattr(org, role)).post(
        reverse("ladders:assessment_start", args=[org.engineer.pk])
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_it_explains_why_a_person_without_a_level_cannot_be_assessed(client, org):
    response = as_(client, org.manager).post(
        reverse("ladders:assessment_start", args=[org.engineer.pk]), follow=True
    )
    assert "no level on a ladder yet" in main(response)
    assert not Assessment.objects.exists()


def test_it_answers_405_to_a_start_by_get(client, org):
    place(org.engineer, published_ladder())
    response = as_(client, org.manager).get(
        reverse("ladders:assessment_start", args=[org.engineer.pk])
    )
    assert response.status_code == 405
    assert not Assessment.objects.exists()


# --- the assessment page per role ----------------------------------------------------


@pytest.mark.parametrize(
    "role,status,has_form,reads",
    [
        ("engineer", 200, True, "SELF-DRAFT"),  # own draft only
        ("manager", 200, True, "MANAGER-DRAFT"),  # own draft only
        ("director", 200, False, None),  # skip-level: nothing submitted yet
        ("hr", 200, False, None),
        ("cto", 200, False, None),
        ("peer", 404, False, None),
        ("other_manager", 404, False, None),
    ],
)
def test_it_shows_an_open_assessment_per_role(client, org, started, role, status, has_form, reads):
    save_draft(started, Side.SELF, org.engineer, "SELF-DRAFT")
    save_draft(started, Side.MANAGER, org.manager, "MANAGER-DRAFT")
    response = as_(client, getattr(org, role)).get(detail_url(started))
    assert response.status_code == status
    if status != 200:
        return
    body = main(response)
    assert ("Save draft" in body) is has_form
    for draft in ("SELF-DRAFT", "MANAGER-DRAFT"):
        assert (draft in body) is (draft == reads)


def test_it_answers_404_for_an_assessment_that_does_not_exist(client, org):
    response = as_(client, org.hr).get(reverse("ladders:assessment_detail", args=[99999]))
    assert response.status_code == 404


def test_it_shows_the_form_with_expectations_scale_and_completed_stretches(client, org, started):
    done = completed_stretch(org.engineer)
    body = main(as_(client, org.engineer).get(detail_url(started)))
    assert "Your self-assessment" in body
    assert "Expected at L2:" in body and "L2 does Code well" in body
    assert "At L3, the next level" in body and "L3 does Code well" in body
    assert "3 · Meets: consistently does what the level expects" in body
    assert body.count("<fieldset") == 3
    assert "<h3>Craft</h3>" in body and "<h3>Leadership</h3>" in body
    assert "Completed stretch assignment (optional)" in body
    assert f"{done.assignment.title} (completed June 2025)" in body


# --- the flow: blind until both submit, then side by side, then read-only -------------


def test_it_keeps_each_side_blind_until_both_submit_then_shows_them_side_by_side(
    client, org, started
):
    code = competencies_of(started)[0]

    # The person submits; the manager still sees nothing of it.
    data = form_data(started, "submit", rating="4", evidence="SELF-EVIDENCE")
    response = as_(client, org.engineer).post(detail_url(started), data, follow=True)
    assert "Submitted. You will see Mia Chen&#x27;s side" in main(response)
    assert "Save draft" not in main(response)  # a submitted side has no form any more
    manager_view = main(as_(client, org.manager).get(detail_url(started)))
    assert "SELF-EVIDENCE" not in manager_view
    assert "Save draft" in manager_view

    # The skip-level manager sees the submitted self side, not the manager's draft.
    save_draft(started, Side.MANAGER, org.manager, "MANAGER-DRAFT")
    director_view = main(as_(client, org.director).get(detail_url(started)))
    assert "SELF-EVIDENCE" in director_view
    assert "MANAGER-DRAFT" not in director_view
    assert "SELF-EVIDENCE" not in main(as_(client, org.manager).get(detail_url(started)))
    assert "MANAGER-DRAFT" not in main(as_(client, org.engineer).get(detail_url(started)))

    # The manager submits: both see both, with the differences marked in words.
    data = form_data(started, "submit", rating="2", evidence="MANAGER-EVIDENCE")
    response = as_(client, org.manager).post(detail_url(started), data, follow=True)
    assert "Both sides are in" in main(response)
    for role in ("engineer", "manager", "director", "hr"):
        body = main(as_(client, getattr(org, role)).get(detail_url(started)))
        assert "SELF-EVIDENCE" in body and "MANAGER-EVIDENCE" in body, role
        assert body.count("differs by 2") == 3, role
        assert ("Finalise assessment" in body) is (role == "manager"), role
    started.refresh_from_db()
    assert started.status == Assessment.Status.REVIEW

    # Only the manager finalises.
    url = reverse("ladders:assessment_finalise", args=[started.pk])
    response = as_(client, org.engineer).post(url, {"summary": "I decide"}, follow=True)
    assert "Only Mia Chen can finalise" in main(response)
    response = as_(client, org.manager).post(url, {"summary": "Great quarter."}, follow=True)
    assert "Assessment finalised" in main(response)
    started.refresh_from_db()
    assert started.status == Assessment.Status.FINAL
    assert (
        CompetencyRating.objects.get(assessment=started, side=Side.MANAGER, competency=code).rating
        == 2
    )


def test_it_keeps_a_finalised_assessment_read_only(client, org):
    assessment = in_review(org, published_ladder(), self_rating=3, manager_rating=3)
    assessment_finalise(assessment=assessment, manager=org.manager, summary="Kept")
    before = (ratings_of(assessment, Side.SELF), ratings_of(assessment, Side.MANAGER))

    for author in (org.engineer, org.manager):
        for action in ("draft", "submit"):
            for rating in ("1", "9"):  # valid or not, nothing changes and no form comes back
                response = as_(client, author).post(
                    detail_url(assessment), form_data(assessment, action, rating, "Rewritten")
                )
                assert response.status_code == 302
    as_(client, org.manager).post(
        reverse("ladders:assessment_finalise", args=[assessment.pk]), {"summary": "Changed"}
    )

    assert (ratings_of(assessment, Side.SELF), ratings_of(assessment, Side.MANAGER)) == before
    assessment.refresh_from_db()
    assert assessment.summary == "Kept"
    for role in ("engineer", "manager", "director", "hr"):
        body = main(as_(client, getattr(org, role)).get(detail_url(assessment)))
        assert "Save draft" not in body and "Finalise assessment" not in body, role
        assert "read-only history" in body and "Kept" in body, role


def test_it_changes_nothing_when_someone_else_posts_a_side(client, org, started):
    for role in ("director", "hr"):
        response = as_(client, getattr(org, role)).post(
            detail_url(started), form_data(started, "submit"), follow=True
        )
        assert "Only Eli Novak and Mia Chen write this assessment" in main(response)
    response = as_(client, org.peer).post(detail_url(started), form_data(started, "submit"))
    assert response.status_code == 404
    assert ratings_of(started, Side.SELF) == [(None, "")] * 3
    assert ratings_of(started, Side.MANAGER) == [(None, "")] * 3


def test_it_refuses_a_submitted_side_being_posted_again(client, org, started):
    submit(started, Side.SELF, org.engineer, 3, "First")
    response = as_(client, org.engineer).post(
        detail_url(started), form_data(started, "draft", "1", "Second"), follow=True
    )
    assert "can no longer change" in main(response)
    assert ratings_of(started, Side.SELF) == [(3, "First")] * 3


# --- bad input keeps what the person typed -------------------------------------------


def test_it_refuses_a_submit_with_missing_ratings_listing_them_and_keeps_the_input(
    client, org, started
):
    code, design, people = competencies_of(started)
    data = {
        "action": "submit",
        f"rating_{code.pk}": "3",
        f"evidence_{code.pk}": "TYPED FOR CODE",
        f"rating_{design.pk}": "",
        f"evidence_{design.pk}": "TYPED FOR DESIGN",
        f"rating_{people.pk}": "",
        f"evidence_{people.pk}": "",
    }
    response = as_(client, org.engineer).post(detail_url(started), data)
    assert response.status_code == 200
    body = main(response)
    assert "Not rated yet: Design, People." in body
    assert body.count("Choose a rating before submitting.") == 2
    assert "TYPED FOR CODE" in body and "TYPED FOR DESIGN" in body
    assert '<option value="3" selected>' in body
    started.refresh_from_db()
    assert started.self_submitted_at is None
    # What was typed is kept as a draft too.
    assert ratings_of(started, Side.SELF) == [
        (3, "TYPED FOR CODE"),
        (None, "TYPED FOR DESIGN"),
        (None, ""),
    ]


def test_it_keeps_the_input_when_a_rating_is_off_the_scale(client, org, started):
    data = form_data(started, "draft", rating="9", evidence="KEEP ME")
    response = as_(client, org.engineer).post(detail_url(started), data)
    assert response.status_code == 200
    body = main(response)
    assert "Select a valid choice" in body
    assert "KEEP ME" in body
    assert ratings_of(started, Side.SELF) == [(None, "")] * 3


def test_it_saves_a_draft_with_a_message(client, org, started):
    response = as_(client, org.engineer).post(
        detail_url(started), form_data(started, "draft", "", "Half done"), follow=True
    )
    assert "Draft saved" in main(response)
    assert "Half done" in main(response)
    assert ratings_of(started, Side.SELF) == [(None, "Half done")] * 3


def test_it_links_evidence_to_a_completed_stretch_assignment(client, org, started):
    done = completed_stretch(org.engineer)
    code = competencies_of(started)[0]
    data = form_data(started, "draft")
    data[f"stretch_{code.pk}"] = str(done.pk)
    as_(client, org.engineer).post(detail_url(started), data)
    row = CompetencyRating.objects.get(assessment=started, side=Side.SELF, competency=code)
    assert row.stretch == done


def test_it_refuses_someone_elses_stretch_assignment_as_evidence(client, org, started):
    completed_stretch(org.engineer)  # so the field is on the form
    others = completed_stretch(org.peer)
    code = competencies_of(started)[0]
    data = form_data(started, "draft")
    data[f"stretch_{code.pk}"] = str(others.pk)
    response = as_(client, org.engineer).post(detail_url(started), data)
    assert "Select a valid choice" in main(response)
    assert not CompetencyRating.objects.filter(stretch__isnull=False).exists()


# --- history is never rewritten ------------------------------------------------------


def test_a_revision_published_after_an_assessment_leaves_it_showing_its_own_expectations(
    client, org
):
    first = ladder_import(data=check(ladder_file("Old")), publish=True)
    place(org.engineer, first)
    assessment = start(person=org.engineer, started_by=org.manager)

    ladder_import(data=check(ladder_file("New")), publish=True)

    open_page = main(as_(client, org.engineer).get(detail_url(assessment)))
    assert "Old: L2 code" in open_page and "Old: L3 code" in open_page
    assert "New:" not in open_page

    submit(assessment, Side.SELF, org.engineer)
    submit(assessment, Side.MANAGER, org.manager)
    assessment_finalise(assessment=assessment, manager=org.manager, summary="")
    final_page = main(as_(client, org.engineer).get(detail_url(assessment)))
    assert "Old: L2 design" in final_page and "Old: L3 design" in final_page
    assert "New:" not in final_page
    assert "revision 1" in final_page


# --- to do -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected",
    [
        ("engineer", "Fill in your self-assessment"),
        ("manager", "Fill in your side of Eli Novak&#x27;s assessment"),
        ("director", "Nothing to fill in or finalise"),
        ("hr", "Nothing to fill in or finalise"),
        ("peer", "Nothing to fill in or finalise"),
    ],
)
def test_it_shows_each_person_what_they_have_to_do(client, org, started, role, expected):
    response = as_(client, getattr(org, role)).get(reverse("ladders:assessment_todo"))
    assert response.status_code == 200
    assert expected in main(response)


def test_it_asks_the_manager_to_finalise_once_both_sides_are_in(client, org):
    assessment = in_review(org, published_ladder())
    body = main(as_(client, org.manager).get(reverse("ladders:assessment_todo")))
    assert "Finalise Eli Novak&#x27;s assessment" in body
    assert detail_url(assessment) in body
    assert "Nothing to fill in" in main(
        as_(client, org.engineer).get(reverse("ladders:assessment_todo"))
    )


# --- query counts ----------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _assessment_of(org, slug, competency_count):
    person = UserFactory(manager=org.manager, team=org.payments)
    codes = [f"c{i}" for i in range(competency_count)]
    place(person, published_ladder(competencies=codes, slug=slug))
    return person, start(person=person, started_by=org.manager)


def test_the_fill_in_page_makes_as_many_queries_for_3_as_for_12_competencies(client, org):
    completed = []
    for slug, count in (("small", 3), ("large", 12)):
        person, assessment = _assessment_of(org, slug, count)
        completed_stretch(person)
        completed.append(_queries(as_(client, person), detail_url(assessment)))
    assert completed[0] == completed[1]


def test_the_side_by_side_page_makes_as_many_queries_for_3_as_for_12_competencies(client, org):
    counts = []
    for slug, count in (("small", 3), ("large", 12)):
        person, assessment = _assessment_of(org, slug, count)
        submit(assessment, Side.SELF, person, 4)
        submit(assessment, Side.MANAGER, org.manager, 2)
        counts.append(_queries(as_(client, org.manager), detail_url(assessment)))
    assert counts[0] == counts[1]


def test_the_todo_page_makes_as_many_queries_for_3_as_for_30_items(client, org):
    revision = published_ladder()

    def add(n):
        for _ in range(n):
            person = UserFactory(manager=org.manager, team=org.payments)
            place(person, revision)
            start(person=person, started_by=org.manager)

    as_(client, org.manager)
    add(3)
    few = _queries(client, reverse("ladders:assessment_todo"))
    add(27)
    many = _queries(client, reverse("ladders:assessment_todo"))
    assert few == many
    assert main(client.get(reverse("ladders:assessment_todo"))).count("Fill in your side") == 30


def test_the_list_page_makes_as_many_queries_for_3_as_for_30_assessments(client, org):
    level = published_ladder().levels.get(code="L2")

    def add(n):
        Assessment.objects.bulk_create(
            Assessment(
                person=org.engineer,
                manager=org.manager,
                level=level,
                status=Assessment.Status.FINAL,
            )
            for _ in range(n)
        )

    as_(client, org.director)
    url = reverse("ladders:assessment_list", args=[org.engineer.pk])
    add(3)
    few = _queries(client, url)
    add(27)
    many = _queries(client, url)
    assert few == many
