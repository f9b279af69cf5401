"""Check-in and feedback pages: only the two people of a published pairing
see them, each sees only their own answers, and the people team sees totals
only from five answers up."""

import re

import pytest
from django.urls import reverse

from mentorship.models import CheckIn, Feedback, Pairing, RotationCycle
from tests.mentorship.factories import (
    CheckInFactory,
    FeedbackFactory,
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.pages import get, main
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status
LEARNED = "How to split a migration into safe steps."
NOT_SHOWN = "fewer than 5 answers: not shown to keep them anonymous"


@pytest.fixture
def pairing(org):
    """The peer mentors the engineer in a running rotation."""
    cycle = RotationCycleFactory(name="Winter rotation", status=Status.ACTIVE)
    return PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
    )


def set_cycle_status(pairing, status):
    RotationCycle.objects.filter(pk=pairing.cycle_id).update(status=status)


def checkin_url(pairing) -> str:
    return reverse("mentorship:checkin", args=[pairing.pk])


def feedback_url(pairing) -> str:
    return reverse("mentorship:feedback", args=[pairing.pk])


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data, follow=True)


FEEDBACK = {"project_landed": "partly", "learned": LEARNED, "would_pair_again": "yes"}


# --- who sees the pages ----------------------------------------------------------------


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
@pytest.mark.parametrize("role", ["engineer", "peer"])
def test_it_shows_the_pages_to_both_people_of_the_pairing(client, org, pairing, url, role):
    response = get(client, getattr(org, role), url(pairing))

    assert response.status_code == 200
    assert "Winter rotation" in main(response)


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
@pytest.mark.parametrize(
    "role", ["manager", "director", "cto", "other_manager", "hr"], ids=lambda r: r
)
def test_it_answers_404_to_managers_the_people_team_and_anyone_else(
    client, org, pairing, url, role
):
    assert get(client, getattr(org, role), url(pairing)).status_code == 404


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
def test_it_answers_404_to_a_colleague_outside_the_pairing(client, pairing, url):
    assert get(client, UserFactory(), url(pairing)).status_code == 404


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
def test_it_answers_404_for_a_pairing_not_published(client, org, pairing, url):
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.PROPOSED)

    assert get(client, org.engineer, url(pairing)).status_code == 404


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
def test_it_sends_anonymous_visitors_to_sign_in(client, pairing, url):
    response = client.get(url(pairing))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [checkin_url, feedback_url])
def test_it_answers_404_to_a_post_from_outside_the_pairing(client, org, pairing, url):
    client.force_login(org.manager)

    assert client.post(url(pairing), FEEDBACK | {"mood": "stuck"}).status_code == 404
    assert CheckIn.objects.count() == 0
    assert Feedback.objects.count() == 0


# --- check-ins -------------------------------------------------------------------------


def test_it_records_a_check_in_and_says_so(client, org, pairing):
    response = post(
        client, org.engineer, checkin_url(pairing), {"mood": "slow", "note": "Hard to find time."}
    )

    assert "your check-in is saved" in main(response)
    assert "Slower than hoped" in main(response)
    checkin = CheckIn.objects.get(pairing=pairing, person=org.engineer)
    assert (checkin.mood, checkin.note) == ("slow", "Hard to find time.")
    assert checkin.answered_at is not None


def test_it_lets_the_person_change_their_check_in_while_the_rotation_runs(client, org, pairing):
    CheckInFactory(pairing=pairing, person=org.engineer, mood="slow", note="Hard to find time.")

    response = get(client, org.engineer, checkin_url(pairing))
    assert "Change your answer" in main(response)
    post(client, org.engineer, checkin_url(pairing), {"mood": "on_track", "note": "Better now."})

    assert CheckIn.objects.get(person=org.engineer).mood == "on_track"
    assert CheckIn.objects.count() == 1


def test_it_keeps_what_was_typed_and_names_the_missing_answer(client, org, pairing):
    client.force_login(org.engineer)
    response = client.post(checkin_url(pairing), {"note": "A note I typed."})

    assert response.status_code == 200
    assert "A note I typed." in main(response)
    assert 'id="id_mood_error"' in main(response)
    assert CheckIn.objects.count() == 0


def test_it_never_shows_a_partner_their_partners_check_in(client, org, pairing):
    CheckInFactory(pairing=pairing, person=org.engineer, note="My mentor is hard to reach.")

    response = get(client, org.peer, checkin_url(pairing))

    assert "hard to reach" not in main(response)
    assert "Your answer" not in main(response)


def test_it_offers_no_check_in_before_the_rotation_starts(client, org, pairing):
    set_cycle_status(pairing, Status.PUBLISHED)

    response = get(client, org.engineer, checkin_url(pairing))
    assert "Check-ins are open while the rotation runs" in main(response)
    assert '<form method="post" novalidate>' not in main(response)

    response = post(client, org.engineer, checkin_url(pairing), {"mood": "stuck"})
    assert "Check-ins are open while the rotation runs" in main(response)
    assert CheckIn.objects.count() == 0


# --- feedback ---------------------------------------------------------------------------


def test_it_records_feedback_and_then_shows_it_read_only(client, org, pairing):
    response = post(client, org.engineer, feedback_url(pairing), FEEDBACK)

    assert "your feedback is sent" in main(response)
    assert "What you answered" in main(response)
    assert LEARNED in main(response)
    assert "Send my feedback" not in main(response)
    feedback = Feedback.objects.get(pairing=pairing, author=org.engineer)
    assert (feedback.project_landed, feedback.would_pair_again) == ("partly", True)


def test_it_takes_feedback_once_per_person_and_keeps_the_first(client, org, pairing):
    post(client, org.engineer, feedback_url(pairing), FEEDBACK)

    response = post(
        client, org.engineer, feedback_url(pairing), FEEDBACK | {"learned": "Something else."}
    )

    assert "You already sent your feedback" in main(response)
    assert Feedback.objects.get().learned == LEARNED


def test_each_person_of_the_pair_sends_their_own_feedback(client, org, pairing):
    post(client, org.engineer, feedback_url(pairing), FEEDBACK)
    post(client, org.peer, feedback_url(pairing), FEEDBACK | {"would_pair_again": "no"})

    assert Feedback.objects.filter(pairing=pairing).count() == 2
    assert Feedback.objects.get(author=org.peer).would_pair_again is False


def test_it_keeps_the_feedback_typed_when_an_answer_is_missing(client, org, pairing):
    client.force_login(org.engineer)
    response = client.post(feedback_url(pairing), {"learned": LEARNED, "would_pair_again": "no"})

    assert response.status_code == 200
    assert LEARNED in main(response)
    assert 'id="id_project_landed_error"' in main(response)
    assert re.search(r'name="would_pair_again" value="no"[^>]*checked', main(response))
    assert Feedback.objects.count() == 0


def test_it_never_shows_a_partner_the_other_persons_feedback(client, org, pairing):
    FeedbackFactory(pairing=pairing, author=org.engineer, learned="My mentor rushed everything.")

    response = get(client, org.peer, feedback_url(pairing))

    assert "rushed everything" not in main(response)
    assert "Send my feedback" in main(response)


def test_it_takes_feedback_after_the_cycle_has_closed(client, org, pairing):
    set_cycle_status(pairing, Status.CLOSED)

    post(client, org.engineer, feedback_url(pairing), FEEDBACK)

    assert Feedback.objects.filter(author=org.engineer).exists()


def test_it_offers_no_feedback_form_before_the_rotation_starts(client, org, pairing):
    set_cycle_status(pairing, Status.PUBLISHED)

    assert "Feedback opens when the rotation starts" in main(
        get(client, org.engineer, feedback_url(pairing))
    )
    response = post(client, org.engineer, feedback_url(pairing), FEEDBACK)
    assert "Feedback opens when the rotation starts" in main(response)
    assert Feedback.objects.count() == 0


# --- what the people team sees: totals from five answers up -------------------------------


def answers(cycle, count: int, **fields):
    for _ in range(count):
        FeedbackFactory(pairing=PublishedPairingFactory(cycle=cycle, run__cycle=cycle), **fields)


def test_the_people_team_sees_no_feedback_totals_below_five_answers(client, org, pairing):
    answers(pairing.cycle, 4, learned="A private sentence.")

    page = main(get(client, org.hr, reverse("mentorship:health")))

    assert f"Feedback: {NOT_SHOWN}" in page
    assert "Feedback (4 answers)" not in page
    assert "A private sentence." not in page


def test_the_people_team_sees_feedback_totals_from_five_answers(client, org, pairing):
    answers(pairing.cycle, 4, learned="A private sentence.")
    answers(pairing.cycle, 1, project_landed="no", would_pair_again=False)

    page = main(get(client, org.hr, reverse("mentorship:health")))

    assert f"Feedback: {NOT_SHOWN}" not in page
    assert "Feedback (5 answers)" in page
    assert "A private sentence." not in page  # totals only, never what someone wrote


def test_the_people_team_sees_check_in_totals_from_five_answers_only(client, org, pairing):
    for _ in range(4):
        CheckInFactory(pairing=PublishedPairingFactory(cycle=pairing.cycle, run=pairing.run))
    assert f"Check-ins: {NOT_SHOWN}" in main(get(client, org.hr, reverse("mentorship:health")))

    CheckInFactory(pairing=pairing, person=org.engineer, note="Mentor hard to reach.")
    page = main(get(client, org.hr, reverse("mentorship:health")))

    assert "Mid-rotation check-ins (5 answers)" in page
    assert "Mentor hard to reach." not in page
