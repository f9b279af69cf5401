"""Stretch assignment pages: what each role sees and may do, filters, and
query counts that do not grow with assignments or applicants."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.models import StretchAssignment, StretchParticipation
from ladders.services.stretch import stretch_apply, stretch_decide
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.pages import get, main, sent_to_sign_in
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = StretchParticipation.Status
MOTIVATION = "I want to grow my design skills."


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def results(response) -> str:
    """The list of cards (and what follows), without the filter form's options."""
    body = main(response)
    start = body.find('<ul class="grid stretch-list">')
    return body[start:] if start >= 0 else ""


@pytest.fixture
def revision(db):
    return published_ladder(competencies=("code", "design", "people"))


def make_assignment(poster, revision, *, codes=("code",), **fields):
    fields.setdefault("starts_on", days(7))
    fields.setdefault("ends_on", days(90))
    assignment = StretchAssignmentFactory(posted_by=poster, **fields)
    assignment.competencies.set(revision.competencies.filter(code__in=codes))
    return assignment


@pytest.fixture
def assignment(org, revision):
    """Posted by the engineer's manager; the engineer has applied."""
    assignment = make_assignment(
        org.manager, revision, title="Billing queue migration", seats=3, team=org.payments
    )
    stretch_apply(assignment=assignment, person=org.engineer, motivation=MOTIVATION)
    return assignment


def detail_url(assignment) -> str:
    return reverse("ladders:stretch_detail", args=[assignment.pk])


# --- anonymous visitors sign in first ------------------------------------------------


@pytest.mark.parametrize("name", ["stretch_list", "stretch_mine", "stretch_create"])
def test_it_sends_anonymous_visitors_to_sign_in(client, org, name):
    response = client.get(reverse(f"ladders:{name}"))

    assert sent_to_sign_in(response)


def test_it_sends_anonymous_visitors_to_sign_in_from_an_assignment(client, assignment):
    response = client.get(detail_url(assignment))

    assert sent_to_sign_in(response)


# --- browsing: open to every colleague ---------------------------------------------

ROLES = ["engineer", "manager", "director", "peer", "other_manager", "hr"]


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_open_assignments_to_every_colleague(client, org, assignment, role):
    response = get(client, getattr(org, role), reverse("ladders:stretch_list"))

    assert response.status_code == 200
    cards = results(response)
    assert "Billing queue migration" in cards
    assert "Payments" in cards
    assert "4 h/week" in cards
    assert '<li class="badge">Code</li>' in cards
    assert "1 of 3 seats taken" in cards
    assert '<progress value="1" max="3"' in cards


def test_it_leaves_out_closed_and_finished_assignments(client, org, revision):
    make_assignment(org.manager, revision, title="Still open")
    make_assignment(org.manager, revision, title="Closed one", status="closed")
    make_assignment(org.manager, revision, title="Over", starts_on=days(-30), ends_on=days(-1))

    cards = results(get(client, org.peer, reverse("ladders:stretch_list")))

    assert "Still open" in cards
    assert "Closed one" not in cards
    assert "Over" not in cards


def test_it_shows_an_empty_state_when_nothing_is_open(client, org):
    response = get(client, org.engineer, reverse("ladders:stretch_list"))

    assert "No stretch assignments are open right now." in main(response)
    assert "Post one for your team" not in main(response)
    assert "Post one for your team" in main(
        get(client, org.manager, reverse("ladders:stretch_list"))
    )


@pytest.mark.parametrize("role", ["engineer", "director", "peer", "other_manager", "hr"])
def test_it_shows_an_assignment_to_every_colleague(client, org, assignment, role):
    response = get(client, getattr(org, role), detail_url(assignment))

    assert response.status_code == 200
    assert "<h1>Billing queue migration" in main(response)
    assert "1 of 3 seats taken" in main(response)


@pytest.mark.parametrize(
    "role,sees_applicants",
    [
        ("manager", True),  # the poster
        ("hr", True),  # the people team
        ("engineer", False),  # the applicant sees only their own application
        ("director", False),  # the poster's manager
        ("peer", False),
        ("other_manager", False),
    ],
)
def test_it_shows_applicants_only_to_the_poster_and_the_people_team(
    client, org, assignment, role, sees_applicants
):
    stretch_apply(assignment=assignment, person=org.peer, motivation="Peer's own reasons.")

    page = main(get(client, getattr(org, role), detail_url(assignment)))

    assert ("Applicants (2)" in page) is sees_applicants
    assert ("Peer&#x27;s own reasons." in page) is (sees_applicants or role == "peer")
    assert ("Accept Eli Novak" in page) is sees_applicants


def test_it_answers_404_for_an_assignment_that_does_not_exist(client, org):
    response = get(client, org.engineer, reverse("ladders:stretch_detail", args=[999_999]))

    assert response.status_code == 404


# --- applying ----------------------------------------------------------------------


def test_it_lets_a_colleague_apply_with_a_motivation(client, org, assignment):
    client.force_login(org.peer)

    response = client.post(detail_url(assignment), {"motivation": MOTIVATION}, follow=True)

    assert "You applied to “Billing queue migration”" in main(response)
    assert "your application holds a seat" in main(response)
    assert "2 of 3 seats taken" in main(response)
    assert assignment.participations.get(person=org.peer).status == Status.APPLIED


def test_it_keeps_the_motivation_and_says_why_when_every_seat_is_taken(client, org, revision):
    full = make_assignment(org.manager, revision, seats=1)
    # Seen with a free seat, then someone else takes it before the form is sent.
    client.force_login(org.peer)
    stretch_apply(assignment=full, person=org.engineer, motivation=MOTIVATION)

    response = client.post(detail_url(full), {"motivation": "My carefully written reasons."})

    assert response.status_code == 200
    assert "The only seat is taken" in main(response)
    assert "My carefully written reasons." in main(response)
    assert not full.participations.filter(person=org.peer).exists()


def test_it_names_the_field_when_the_motivation_is_missing(client, org, assignment):
    client.force_login(org.peer)

    response = client.post(detail_url(assignment), {"motivation": ""})

    assert 'id="id_motivation_error"' in main(response)


def test_it_shows_the_commitment_limit_when_applying_over_it(client, org, revision, assignment):
    for n in range(2):
        running = make_assignment(org.other_manager, revision, title=f"Running {n}")
        p = stretch_apply(assignment=running, person=org.peer, motivation=MOTIVATION)
        stretch_decide(participation=p, decided_by=org.other_manager, accept=True)
    client.force_login(org.peer)

    page = main(client.get(detail_url(assignment)))
    assert "You are on 2 of your 2 concurrent commitments" in page

    response = client.post(detail_url(assignment), {"motivation": "Kept text."})
    assert "You already have 2 concurrent commitments (the limit is 2)" in main(response)
    assert "Kept text." in main(response)


def test_it_offers_no_application_form_to_the_poster(client, org, assignment):
    page = main(get(client, org.manager, detail_url(assignment)))

    assert "You posted this assignment" in page
    assert 'name="motivation"' not in page


def test_it_lets_the_applicant_withdraw(client, org, assignment):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(org.engineer)

    response = client.post(
        reverse("ladders:stretch_withdraw", args=[participation.pk]), follow=True
    )

    assert "You withdrew from “Billing queue migration”" in main(response)
    assert "0 of 3 seats taken" in main(response)
    participation.refresh_from_db()
    assert participation.status == Status.WITHDRAWN


@pytest.mark.parametrize("role", ["manager", "peer", "hr"])
def test_it_answers_404_when_someone_else_withdraws_an_application(client, org, assignment, role):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(getattr(org, role))

    response = client.post(reverse("ladders:stretch_withdraw", args=[participation.pk]))

    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.status == Status.APPLIED


def test_it_only_writes_on_post(client, org, assignment):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(org.engineer)

    for name in ("stretch_withdraw", "stretch_decide", "stretch_complete"):
        assert client.get(reverse(f"ladders:{name}", args=[participation.pk])).status_code == 405


# --- deciding and completing -------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "hr"])
def test_it_lets_the_poster_and_the_people_team_accept(client, org, assignment, role):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(getattr(org, role))

    response = client.post(
        reverse("ladders:stretch_decide", args=[participation.pk]),
        {"decision": "accept"},
        follow=True,
    )

    assert "You accepted Eli Novak on “Billing queue migration”" in main(response)
    participation.refresh_from_db()
    assert participation.status == Status.ACCEPTED


def test_it_frees_the_seat_when_the_poster_declines(client, org, assignment):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(org.manager)

    response = client.post(
        reverse("ladders:stretch_decide", args=[participation.pk]),
        {"decision": "decline"},
        follow=True,
    )

    assert "You declined Eli Novak&#x27;s application: the seat is free." in main(response)
    assert "0 of 3 seats taken" in main(response)


@pytest.mark.parametrize("role", ["engineer", "director", "peer"])
def test_it_answers_404_when_others_try_to_decide(client, org, assignment, role):
    participation = assignment.participations.get(person=org.engineer)
    client.force_login(getattr(org, role))

    response = client.post(
        reverse("ladders:stretch_decide", args=[participation.pk]), {"decision": "accept"}
    )

    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.status == Status.APPLIED


def accepted(org, assignment):
    participation = assignment.participations.get(person=org.engineer)
    stretch_decide(participation=participation, decided_by=org.manager, accept=True)
    return participation


def test_it_records_the_outcome_when_the_poster_completes(client, org, assignment):
    participation = accepted(org, assignment)
    client.force_login(org.manager)

    response = client.post(
        reverse("ladders:stretch_complete", args=[participation.pk]),
        {"outcome": "Moved billing to the queue."},
        follow=True,
    )

    assert "Eli Novak completed “Billing queue migration”" in main(response)
    participation.refresh_from_db()
    assert participation.status == Status.COMPLETED
    assert participation.outcome == "Moved billing to the queue."


def test_it_keeps_the_completion_form_open_with_an_error_when_the_outcome_is_empty(
    client, org, assignment
):
    participation = accepted(org, assignment)
    client.force_login(org.manager)

    response = client.post(
        reverse("ladders:stretch_complete", args=[participation.pk]), {"outcome": ""}
    )

    assert response.status_code == 200
    assert "<details open>" in main(response)
    assert "This field is required." in main(response)
    participation.refresh_from_db()
    assert participation.status == Status.ACCEPTED


def test_it_answers_404_when_the_participant_tries_to_complete_their_own(client, org, assignment):
    participation = accepted(org, assignment)
    client.force_login(org.engineer)

    response = client.post(
        reverse("ladders:stretch_complete", args=[participation.pk]), {"outcome": "Done!"}
    )

    assert response.status_code == 404


# --- posting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [("manager", 200), ("director", 200), ("hr", 200), ("engineer", 404), ("peer", 404)],
)
def test_it_offers_the_post_form_only_to_managers_and_the_people_team(client, org, role, status):
    response = get(client, getattr(org, role), reverse("ladders:stretch_create"))

    assert response.status_code == status


def form_data(revision, **overrides):
    data = {
        "title": "Lead the incident review",
        "description": "Run the next three incident reviews.",
        "competencies": [revision.competencies.get(code="people").pk],
        "team": "",
        "hours_per_week": "3",
        "seats": "2",
        "starts_on": days(3).isoformat(),
        "ends_on": days(60).isoformat(),
    }
    return {**data, **overrides}


def test_it_posts_an_assignment_and_shows_it(client, org, revision):
    client.force_login(org.manager)

    response = client.post(reverse("ladders:stretch_create"), form_data(revision), follow=True)

    assert "“Lead the incident review” is posted" in main(response)
    assert "<h1>Lead the incident review" in main(response)
    assert StretchAssignment.objects.get().posted_by == org.manager


def test_it_keeps_what_was_typed_and_names_the_field_when_dates_are_wrong(client, org, revision):
    client.force_login(org.manager)
    data = form_data(revision, starts_on=days(30).isoformat(), ends_on=days(10).isoformat())

    response = client.post(reverse("ladders:stretch_create"), data)

    assert response.status_code == 200
    assert 'id="id_ends_on_error"' in main(response)
    assert "The end date is before the start date." in main(response)
    assert 'value="Lead the incident review"' in main(response)
    assert not StretchAssignment.objects.exists()


def test_it_refuses_a_post_from_an_engineer(client, org, revision):
    client.force_login(org.engineer)

    response = client.post(reverse("ladders:stretch_create"), form_data(revision))

    assert response.status_code == 404
    assert not StretchAssignment.objects.exists()


# --- my stretch assignments --------------------------------------------------------


def test_it_shows_me_what_i_applied_to(client, org, assignment):
    page = main(get(client, org.engineer, reverse("ladders:stretch_mine")))

    assert "Waiting for a decision (1)" in page
    assert "Billing queue migration" in page
    assert "Posted by you" not in page


def test_it_shows_a_poster_what_they_posted_and_what_waits_for_them(client, org, assignment):
    page = main(get(client, org.manager, reverse("ladders:stretch_mine")))

    assert "Posted by you (1)" in page
    assert "Billing queue migration" in page
    assert '<td class="num"><strong>1</strong></td>' in page
    assert "You have not applied to a stretch assignment yet." in page


def test_it_shows_nobody_else_my_applications(client, org, assignment):
    page = main(get(client, org.peer, reverse("ladders:stretch_mine")))

    assert "Billing queue migration" not in page


def test_it_lists_completed_assignments_with_their_outcome(client, org, assignment):
    participation = accepted(org, assignment)
    participation.status = Status.COMPLETED
    participation.outcome = "Moved billing to the queue."
    participation.completed_at = timezone.now()
    participation.save()

    page = main(get(client, org.engineer, reverse("ladders:stretch_mine")))

    assert "Completed (1)" in page
    assert "Moved billing to the queue." in page


# --- filters -----------------------------------------------------------------------


@pytest.fixture
def catalogue(org, revision):
    platform = TeamFactory(name="Platform")
    make_assignment(org.manager, revision, title="Alpha", codes=("code",), hours_per_week=2)
    make_assignment(
        org.manager, revision, title="Bravo", codes=("design", "people"), hours_per_week=4
    )
    full = make_assignment(
        org.other_manager,
        revision,
        title="Charlie",
        codes=("people",),
        hours_per_week=8,
        team=platform,
        description="Own the search ranking experiment.",
        seats=1,
    )
    stretch_apply(assignment=full, person=org.engineer, motivation=MOTIVATION)
    return platform


def titles(client, user, query: dict) -> list[str]:
    cards = results(get(client, user, reverse("ladders:stretch_list") + "?" + urlencode(query)))
    return [t for t in ("Alpha", "Bravo", "Charlie") if f">{t}</a>" in cards]


@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, ["Alpha", "Bravo", "Charlie"]),
        ({"competency": "people"}, ["Bravo", "Charlie"]),
        ({"competency": "code"}, ["Alpha"]),
        ({"commitment": "light"}, ["Alpha"]),
        ({"commitment": "medium"}, ["Bravo"]),
        ({"commitment": "heavy"}, ["Charlie"]),
        ({"open_seats": "on"}, ["Alpha", "Bravo"]),
        ({"q": "ranking experiment"}, ["Charlie"]),
        ({"q": "bravo"}, ["Bravo"]),
        ({"competency": "people", "open_seats": "on"}, ["Bravo"]),
    ],
)
def test_it_filters_assignments(client, org, catalogue, query, expected):
    assert titles(client, org.peer, query) == expected


def test_it_filters_by_team(client, org, catalogue):
    assert titles(client, org.peer, {"team": catalogue.pk}) == ["Charlie"]


def test_it_filters_by_competency_code_across_revisions(client, org, revision, catalogue):
    newer = published_ladder(competencies=("people",), slug=revision.ladder.slug, number=2)
    later = make_assignment(org.manager, newer, title="Delta", codes=("people",))

    cards = results(get(client, org.peer, reverse("ladders:stretch_list") + "?competency=people"))

    assert ">Delta</a>" in cards
    assert ">Bravo</a>" in cards
    assert later.competencies.get().revision == newer


def test_it_says_when_no_assignment_matches_the_filters(client, org, catalogue):
    response = get(client, org.peer, reverse("ladders:stretch_list") + "?q=nothing-like-this")

    assert "No open assignment matches these filters." in main(response)


# --- query counts ------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_browses_in_the_same_number_of_queries_for_3_and_30_assignments(client, org, revision):
    def add(n):
        for _ in range(n):
            team = TeamFactory()
            a = make_assignment(UserFactory(), revision, codes=("code", "design"), team=team)
            stretch_apply(assignment=a, person=UserFactory(), motivation=MOTIVATION)

    client.force_login(org.peer)
    url = reverse("ladders:stretch_list")
    add(3)
    few = count_queries(client, url)
    add(27)
    many = count_queries(client, url)

    assert few == many


def test_it_shows_an_assignment_in_the_same_number_of_queries_for_3_and_30_applicants(
    client, org, revision
):
    assignment = make_assignment(org.manager, revision, seats=40, codes=("code", "design"))

    def add(n, start):
        for person in UserFactory.create_batch(n, team=TeamFactory()):
            p = stretch_apply(assignment=assignment, person=person, motivation=MOTIVATION)
            if start % 2:
                stretch_decide(participation=p, decided_by=org.manager, accept=True)
            start += 1

    client.force_login(org.manager)
    url = detail_url(assignment)
    add(3, 0)
    few = count_queries(client, url)
    add(27, 3)
    many = count_queries(client, url)

    assert few == many
    assert "Applicants (30)" in main(client.get(url))
