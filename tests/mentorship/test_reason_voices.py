"""Why someone was left unmatched, in two voices (issue 9): to the person on
their own page ("your manager chain"), about them for the people team and
their manager ("Ana Lima's manager chain"), each reason written once."""

import re

import pytest
from django.urls import reverse

from core.voice import TO_THEM, about
from mentorship.models import MatchRun, Role, RotationCycle
from mentorship.selectors.review import unmatched_reason
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import MatchRunFactory, RotationCycleFactory, SignUpFactory
from tests.mentorship.test_review_decisions import accept_stretch, mentee, mentor, run_now
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


@pytest.fixture
def revision():
    return published_ladder(competencies=("design", "testing", "people"))


@pytest.fixture
def cycle(revision):
    return RotationCycleFactory(ladder=revision.ladder, status=Status.MATCHING, name="Winter")


@pytest.fixture
def left_out(cycle, revision, django_capture_on_commit_callbacks):
    """Ana's only design mentor is her manager; Bo is at the commitment limit;
    Cy teaches what nobody wants; Dee (L4) is above the mentees' range."""
    chief = mentor(cycle, revision, "Search", person=UserFactory(name="Cleo Chief"))
    ana = UserFactory(name="Ana Lima", manager=chief.person, team=TeamFactory(name="Payments"))
    busy = UserFactory(name="Bo Busy", team=TeamFactory(name="Billing"))
    accept_stretch(busy, "Queue migration")
    accept_stretch(busy, "Search revamp")
    signups = {
        "ana": mentee(cycle, revision, "Payments", person=ana),
        "bo": mentor(cycle, revision, "Billing", goals=("testing",), person=busy),
        "cy": mentor(cycle, revision, "Data", goals=("people",), person=UserFactory(name="Cy Di")),
        "dee": mentee(cycle, revision, "Ops", person=UserFactory(name="Dee Ek"), level="L4"),
    }
    run = run_now(cycle, django_capture_on_commit_callbacks)
    rows = {row["signup"]: row for row in run.unmatched}
    return run, {key: rows[signup.pk] for key, signup in signups.items()}


@pytest.mark.parametrize(
    ("who", "to_them", "about_them"),
    [
        (
            "ana",
            "Every mentor senior enough who teaches Design is in your manager chain.",
            "Every mentor senior enough who teaches Design is in Ana Lima's manager chain.",
        ),
        (
            "bo",
            "You are at the limit of 2 concurrent commitments (stretch assignments and "
            "rotations: 2 already).",
            "Bo Busy is at the limit of 2 concurrent commitments (stretch assignments and "
            "rotations: 2 already).",
        ),
        (
            "dee",
            "Your level L4 is outside this cycle's range for mentees (L1 to L3).",
            "Dee Ek's level L4 is outside this cycle's range for mentees (L1 to L3).",
        ),
        ("cy", "No mentee wants to learn People this cycle.", None),
    ],
)
def test_an_unmatched_reason_is_said_to_the_person_and_about_them(
    left_out, who, to_them, about_them
):
    _, rows = left_out
    assert unmatched_reason(rows[who], to_them=True) == to_them
    assert unmatched_reason(rows[who]) == (about_them or to_them)


def test_no_reason_speaks_to_the_person_on_the_people_teams_side(left_out):
    run, _rows = left_out
    assert len(run.unmatched) == 5  # the four, and the chief who mentors nobody
    for row in run.unmatched:
        assert not SECOND_PERSON.search(unmatched_reason(row)), row


def test_the_review_page_and_the_run_admin_read_about_the_person(client, org, left_out):
    run, _rows = left_out
    RotationCycle.objects.filter(pk=run.cycle_id).update(status=Status.REVIEW)
    client.force_login(org.hr)
    review = client.get(reverse("admin:mentorship_rotationcycle_review", args=[run.cycle_id]))
    run_admin = client.get(reverse("admin:mentorship_matchrun_change", args=[run.pk]))
    for page in (review.content.decode(), run_admin.content.decode()):
        assert "in Ana Lima&#x27;s manager chain" in page
        assert "in your manager chain" not in page


# --- the person's own page and their manager's ------------------------------------------------


@pytest.fixture
def not_paired(org, revision):
    """The engineer was left out of a published cycle; the run kept both voices."""
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.ACTIVE, name="Autumn")
    signup = SignUpFactory(cycle=cycle, person=org.engineer, role=Role.MENTEE)
    MatchRunFactory(
        cycle=cycle,
        status=MatchRun.Status.DONE,
        unmatched=[
            {
                "signup": signup.pk,
                "person": str(org.engineer),
                "role": "mentee",
                "reason": "Your one eligible mentor is full.",
                "team_reason": f"{org.engineer}'s one eligible mentor is full.",
            }
        ],
    )
    return signup


def test_the_person_reads_why_in_the_second_person(client, org, not_paired):
    client.force_login(org.engineer)
    page = client.get(reverse("mentorship:my_rotation")).content.decode()
    assert "Your one eligible mentor is full." in page


def test_their_manager_reads_why_in_the_third_person(client, org, not_paired):
    client.force_login(org.manager)
    page = client.get(reverse("mentorship:team_participation")).content.decode()
    assert f"{org.engineer}&#x27;s one eligible mentor is full." in page
    assert "Your one eligible mentor" not in page


def test_a_row_stored_with_one_voice_is_shown_as_it_is():
    row = {"reason": "Removed by the people team."}
    assert unmatched_reason(row) == unmatched_reason(row, to_them=True) == row["reason"]


def test_the_voices_speak_to_and_about_someone():
    words = ("you", "You", "your", "Your", "they", "them", "their", "has")
    said_to = [getattr(TO_THEM, word) for word in words] + [TO_THEM.be(), TO_THEM.be(past=True)]
    ana = about("Ana")
    said_about = [getattr(ana, word) for word in words] + [ana.be(), ana.be(past=True)]
    assert said_to == ["you", "You", "your", "Your", "you", "you", "your", "have", "are", "were"]
    assert said_about == [
        "Ana",
        "Ana",
        "Ana's",
        "Ana's",
        "they",
        "them",
        "their",
        "has",
        "is",
        "was",
    ]
