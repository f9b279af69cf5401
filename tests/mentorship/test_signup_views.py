"""Rotation pages: the cycles, a cycle, signing up, editing and withdrawing,
my rotation and a manager's reports' participation. What each role sees,
what answers 404, forms that keep their input, and flat query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from mentorship.models import Pairing, Role, RotationCycle, SignUp
from mentorship.services.signups import signup_create
from tests.mentorship.factories import (
    MatchRunFactory,
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
    autumn_cycle,
    competency,
    final_assessment,
    sign_up_mentor,
)
from tests.pages import get, main, sent_to_sign_in
from tests.people.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_window")]

AFTER_WINDOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
TEAM = "/rotations/team/"
EXPLANATION = ["Teaches Design, your biggest gap.", "Crosses teams: Search and Payments."]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def mentor(people, cycle, revision):
    """The peer offers a project to the open cycle."""
    return sign_up_mentor(cycle, people.peer, revision)


@pytest.fixture
def signup(people, cycle, revision, mentor):
    """The engineer signed up as a mentee, preferring the peer."""
    return signup_create(
        cycle=cycle,
        person=people.engineer,
        role=Role.MENTEE,
        competencies=[competency(revision, "code")],
        goals="Learn to run an incident.",
        preferences=[mentor],
    )


def past_cycle(revision, *, status=RotationCycle.Status.ACTIVE, name="Autumn rotation"):
    return autumn_cycle(revision, status=status, name=name, theme="Onboarding")


@pytest.fixture
def pairing(people, revision):
    """An active cycle where the engineer is mentored by Mara, of Search."""
    cycle = past_cycle(revision)
    mara = UserFactory(name="Mara Mendes", title="Staff Engineer", team=people.search)
    return PublishedPairingFactory(
        run__cycle=cycle,
        mentor=MentorSignUpFactory(
            cycle=cycle,
            person=mara,
            project_title="Tame the flaky deploys",
            project_outcome="A green pipeline for a month.",
        ),
        mentee=SignUpFactory(cycle=cycle, person=people.engineer),
        explanation=EXPLANATION,
    )


# --- anonymous visitors sign in first ------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("cycle_list", []),
        ("my_rotation", []),
        ("team_participation", []),
        ("cycle_detail", ["cycle"]),
        ("signup_create", ["cycle", "mentee"]),
        ("signup_edit", ["signup"]),
    ],
)
def test_it_sends_anonymous_visitors_to_sign_in(client, signup, name, args):
    values = {"cycle": signup.cycle_id, "signup": signup.pk, "mentee": "mentee"}

    response = client.get(reverse(f"mentorship:{name}", args=[values[a] for a in args]))

    assert sent_to_sign_in(response)


def test_it_sends_an_anonymous_withdrawal_to_sign_in(client, signup):
    response = client.post(reverse("mentorship:signup_withdraw", args=[signup.pk]))

    assert sent_to_sign_in(response)
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.ACTIVE


# --- the cycle list --------------------------------------------------------------------

ROLES = ["engineer", "manager", "director", "peer", "hr"]


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_the_open_cycle_and_past_ones_to_every_colleague(client, people, cycle, role):
    RotationCycleFactory(
        ladder=cycle.ladder, name="Summer rotation", status=RotationCycle.Status.CLOSED
    )
    RotationCycleFactory(ladder=cycle.ladder, name="Secret draft", status="draft")

    page = main(get(client, getattr(people, role), reverse("mentorship:cycle_list")))

    assert "Winter rotation" in page
    assert "Theme: Reliability" in page
    assert "1 November 2026 to 30 November 2026" in page
    assert reverse("mentorship:signup_create", args=[cycle.pk, "mentee"]) in page
    assert "Summer rotation" in page
    assert "Secret draft" not in page


def test_it_tells_a_person_they_signed_up_already(client, people, signup):
    page = main(get(client, people.engineer, reverse("mentorship:cycle_list")))

    assert "You signed up as a mentee" in page
    assert reverse("mentorship:signup_edit", args=[signup.pk]) in page
    assert reverse("mentorship:signup_create", args=[signup.cycle_id, "mentee"]) not in page


# --- a cycle's page ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_cycle_with_counts_but_no_names(client, people, signup, role):
    page = main(
        get(
            client,
            getattr(people, role),
            reverse("mentorship:cycle_detail", args=[signup.cycle_id]),
        )
    )

    assert "Theme: Reliability" in page
    assert "1 mentor, 1 mentee" in page
    assert "Mentors are at level L3 (Engineer L3) or above." in page
    assert "Mentor and mentee come from different teams." in page
    assert 'aria-current="step"' in page
    assert "Eli Novak" not in page
    assert "Pia Laine" not in page


def test_it_marks_where_the_cycle_is_on_its_timeline(client, people, revision):
    cycle = past_cycle(revision)

    page = main(get(client, people.peer, reverse("mentorship:cycle_detail", args=[cycle.pk])))

    current = page[page.index('aria-current="step"') :]
    assert current.index("Rotation under way") < current.index("</li>")
    assert page.count("(done)") == 5


def test_it_offers_each_role_the_person_may_take_and_says_why_not_the_other(client, people, cycle):
    page = main(get(client, people.engineer, reverse("mentorship:cycle_detail", args=[cycle.pk])))

    assert reverse("mentorship:signup_create", args=[cycle.pk, "mentee"]) in page
    assert reverse("mentorship:signup_create", args=[cycle.pk, "mentor"]) not in page
    assert "You cannot sign up as a mentor:" in page
    assert "Mentors are at level L3 (Engineer L3) or above; you are at L2 (Engineer L2)." in page


def test_it_shows_a_signed_up_person_their_sign_up_on_the_cycle(client, people, signup):
    page = main(
        get(client, people.engineer, reverse("mentorship:cycle_detail", args=[signup.cycle_id]))
    )

    assert "You signed up as a <strong>mentee</strong>" in page
    assert reverse("mentorship:signup_edit", args=[signup.pk]) in page


def test_it_says_sign_up_closed_once_the_window_passed(client, people, cycle):
    with time_machine.travel(AFTER_WINDOW, tick=False):
        page = main(
            get(client, people.engineer, reverse("mentorship:cycle_detail", args=[cycle.pk]))
        )

    assert "Sign-up for Winter rotation is closed: it closed on 30 November 2026." in page
    assert reverse("mentorship:signup_create", args=[cycle.pk, "mentee"]) not in page


@pytest.mark.parametrize(
    "role,status",
    [("engineer", 404), ("manager", 404), ("director", 404), ("peer", 404), ("hr", 200)],
)
def test_it_shows_a_draft_cycle_to_the_people_team_only(client, people, revision, role, status):
    draft = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.DRAFT)

    response = get(
        client, getattr(people, role), reverse("mentorship:cycle_detail", args=[draft.pk])
    )

    assert response.status_code == status


def test_it_answers_404_for_a_cycle_that_does_not_exist(client, people):
    response = get(client, people.engineer, reverse("mentorship:cycle_detail", args=[999]))

    assert response.status_code == 404


def _cycle_detail_queries(client, revision, viewer, n: int) -> int:
    cycle = RotationCycleFactory(ladder=revision.ladder)
    for _ in range(n):
        MentorSignUpFactory(cycle=cycle)
        SignUpFactory(cycle=cycle)
    client.force_login(viewer)
    url = reverse("mentorship:cycle_detail", args=[cycle.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert f"{n} mentors, {n} mentees" in main(response)
    return len(captured)


def test_it_shows_a_cycle_in_the_same_number_of_queries_for_3_and_30_sign_ups(
    client, people, revision
):
    few = _cycle_detail_queries(client, revision, people.engineer, 3)
    many = _cycle_detail_queries(client, revision, people.engineer, 30)

    assert few == many


# --- signing up ----------------------------------------------------------------------------


def signup_url(cycle, role="mentee"):
    return reverse("mentorship:signup_create", args=[cycle.pk, role])


def test_it_prefills_a_mentees_goals_from_their_ladder_gaps(
    client, people, cycle, revision, mentor
):
    # Changed with issue 9: only the gaps worth showing are prefilled (ladders/gaps.py),
    # so a 3 among ratings whose median is 3 is no longer ticked.
    final_assessment(people.engineer, revision, {"code": 2, "design": 1, "people": 3})
    design, code, people_skill = (competency(revision, c) for c in ("design", "code", "people"))

    page = main(get(client, people.engineer, signup_url(cycle)))

    assert _checked(page, design.pk)
    assert _checked(page, code.pk)
    assert not _checked(page, people_skill.pk)
    assert page.count("from your ladder gaps</span>") == 2
    assert "Prefilled from your ladder gaps, biggest first: Design, Code." in page
    assert "Pia Laine, Search: “Make checkout retries safe”" in page


def _checked(page: str, pk: int) -> bool:
    """Whether the competency checkbox with this value is ticked."""
    start = page.index(f'name="competencies" value="{pk}"')
    tag = page[start : page.index(">", start)]
    return "checked" in tag


def test_it_groups_the_competencies_by_theme(client, people, cycle):
    page = main(get(client, people.peer, signup_url(cycle, "mentor")))

    assert "<legend>Craft</legend>" in page
    assert "<legend>Leadership</legend>" in page
    assert "Competencies you can teach" in page
    assert 'name="project_title"' in page
    assert 'name="hours_per_week"' in page


def test_it_says_why_someone_cannot_sign_up_and_offers_no_form(client, people, cycle):
    page = main(get(client, people.engineer, signup_url(cycle, "mentor")))

    assert "You cannot sign up as a mentor" in page
    assert "Mentors are at level L3 (Engineer L3) or above; you are at L2 (Engineer L2)." in page
    assert "signup-form" not in page


def test_it_refuses_a_posted_sign_up_from_someone_not_eligible(client, people, cycle):
    client.force_login(people.engineer)

    response = client.post(
        signup_url(cycle, "mentor"),
        {"project_title": "X", "project_outcome": "Y", "capacity": 1, "hours_per_week": 2},
    )

    assert response.status_code == 200
    assert "Mentors are at level L3" in main(response)
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "role,reason",
    [
        ("manager", "You have no level on the Engineering ladder yet"),
        ("director", "You have no level on the Engineering ladder yet"),
        ("hr", "You have no level on the Engineering ladder yet"),
        ("peer", "Mentees are between levels L1 (Engineer L1) and L3 (Engineer L3)"),
    ],
)
def test_it_shows_each_person_their_own_eligibility(client, people, cycle, role, reason):
    """Nobody signs up for someone else: each page is about the viewer."""
    page = main(get(client, getattr(people, role), signup_url(cycle)))

    assert reason in page
    assert "signup-form" not in page


def test_it_signs_up_a_mentee_and_says_so(client, people, cycle, revision, mentor):
    client.force_login(people.engineer)

    response = client.post(
        signup_url(cycle),
        {
            "competencies": [competency(revision, "design").pk],
            "goals": "Design for failure.",
            "preference_1": mentor.pk,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("mentorship:my_rotation")
    assert messages_of(response) == [
        "You signed up to Winter rotation as a mentee. You can change or withdraw your "
        "sign-up until 30 November 2026."
    ]
    signup = SignUp.objects.get(person=people.engineer)
    assert signup.goals == "Design for failure."
    assert list(signup.preferences.values_list("mentor_id", "rank")) == [(mentor.pk, 1)]


def test_it_signs_up_a_mentor(client, people, cycle, revision):
    client.force_login(people.peer)

    response = client.post(
        signup_url(cycle, "mentor"),
        {
            "competencies": [competency(revision, "design").pk],
            "project_title": "Tame the flaky deploys",
            "project_outcome": "A green pipeline.",
            "capacity": 2,
            "hours_per_week": 3,
        },
    )

    assert response.status_code == 302
    signup = SignUp.objects.get(person=people.peer)
    assert (signup.role, signup.capacity, signup.hours_per_week) == (Role.MENTOR, 2, 3)


def test_it_keeps_what_a_mentor_typed_when_a_field_is_missing(client, people, cycle, revision):
    design = competency(revision, "design")
    client.force_login(people.peer)

    response = client.post(
        signup_url(cycle, "mentor"),
        {
            "competencies": [design.pk],
            "project_title": "",
            "project_outcome": "A green pipeline for a month.",
            "capacity": 2,
            "hours_per_week": 3,
        },
    )

    page = main(response)
    assert response.status_code == 200
    assert 'id="id_project_title_error"' in page
    assert "A green pipeline for a month." in page
    assert 'name="capacity" value="2"' in page
    assert _checked(page, design.pk)
    assert not SignUp.objects.exists()


def test_it_keeps_a_mentees_choices_when_they_name_a_mentor_twice(
    client, people, cycle, revision, mentor
):
    client.force_login(people.engineer)

    response = client.post(
        signup_url(cycle),
        {"goals": "Design for failure.", "preference_1": mentor.pk, "preference_2": mentor.pk},
    )

    page = main(response)
    assert "Name each mentor only once." in page
    assert "Design for failure." in page
    assert f'<option value="{mentor.pk}" selected>' in page
    assert not SignUp.objects.filter(person=people.engineer).exists()


@pytest.mark.parametrize("role", ["coach", "MENTOR"])
def test_it_answers_404_for_a_role_that_does_not_exist(client, people, cycle, role):
    response = get(client, people.engineer, signup_url(cycle, role))

    assert response.status_code == 404


def test_it_answers_404_for_a_sign_up_to_a_draft_cycle(client, people, revision):
    draft = RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.DRAFT)

    response = get(client, people.engineer, signup_url(draft))

    assert response.status_code == 404


# --- editing a sign-up ------------------------------------------------------------------------


def edit_url(signup):
    return reverse("mentorship:signup_edit", args=[signup.pk])


@pytest.mark.parametrize(
    "role,status",
    [
        ("engineer", 200),
        ("manager", 200),
        ("director", 200),
        ("hr", 200),
        ("peer", 404),
        ("other_manager", 404),
    ],
)
def test_it_shows_a_sign_up_to_the_person_their_chain_and_hr_only(
    client, people, signup, role, status
):
    response = get(client, getattr(people, role), edit_url(signup))

    assert response.status_code == status


def test_it_gives_the_person_a_form_with_their_sign_up(client, people, signup, revision, mentor):
    page = main(get(client, people.engineer, edit_url(signup)))

    assert "Edit your sign-up to Winter rotation" in page
    assert "Learn to run an incident." in page
    assert _checked(page, competency(revision, "code").pk)
    assert f'<option value="{mentor.pk}" selected>' in page
    assert reverse("mentorship:signup_withdraw", args=[signup.pk]) in page


@pytest.mark.parametrize("role", ["manager", "director", "hr"])
def test_it_shows_managers_and_hr_the_sign_up_without_a_form(client, people, signup, role):
    page = main(get(client, getattr(people, role), edit_url(signup)))

    assert "Eli Novak's sign-up to Winter rotation" in page
    assert "Learn to run an incident." in page
    assert "1. Pia Laine (“Make checkout retries safe”)" in page
    assert "<form" not in page


def test_it_saves_an_edit_and_says_so(client, people, signup, revision):
    client.force_login(people.engineer)

    response = client.post(
        edit_url(signup),
        {"competencies": [competency(revision, "people").pk], "goals": "Lead people."},
        follow=True,
    )

    assert messages_of(response) == ["Your sign-up to Winter rotation is saved."]
    signup.refresh_from_db()
    assert signup.goals == "Lead people."
    assert [c.code for c in signup.competencies.all()] == ["people"]
    assert not signup.preferences.exists()


def test_it_keeps_an_edit_that_has_no_goal_and_says_why(client, people, signup, mentor):
    client.force_login(people.engineer)

    response = client.post(edit_url(signup), {"goals": "", "preference_1": mentor.pk})

    page = main(response)
    assert "Tick at least one learning goal" in page
    assert f'<option value="{mentor.pk}" selected>' in page
    signup.refresh_from_db()
    assert signup.goals == "Learn to run an incident."


@pytest.mark.parametrize("role", ["manager", "hr", "peer"])
def test_it_answers_404_to_an_edit_posted_by_someone_else(client, people, signup, role):
    client.force_login(getattr(people, role))

    response = client.post(edit_url(signup), {"goals": "Hijacked"})

    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.goals == "Learn to run an incident."


def test_it_shows_the_sign_up_read_only_once_the_window_closed(client, people, signup):
    with time_machine.travel(AFTER_WINDOW, tick=False):
        page = main(get(client, people.engineer, edit_url(signup)))
        response = client.post(edit_url(signup), {"goals": "Too late"}, follow=True)

    assert "Sign-up closed on 30 November 2026: your sign-up stays as it is below." in page
    assert "signup-form" not in page
    assert messages_of(response) == ["This sign-up can no longer change."]
    signup.refresh_from_db()
    assert signup.goals == "Learn to run an incident."


def test_it_answers_404_for_a_sign_up_that_does_not_exist(client, people):
    response = get(client, people.engineer, reverse("mentorship:signup_edit", args=[999]))

    assert response.status_code == 404


# --- withdrawing -------------------------------------------------------------------------------


def withdraw_url(signup):
    return reverse("mentorship:signup_withdraw", args=[signup.pk])


def test_it_withdraws_the_persons_sign_up_and_says_so(client, people, signup):
    client.force_login(people.engineer)

    response = client.post(withdraw_url(signup), follow=True)

    assert response.redirect_chain[-1][0] == reverse("mentorship:my_rotation")
    assert messages_of(response) == [
        "You withdrew from Winter rotation. You can sign up again while the window is open."
    ]
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.WITHDRAWN


@pytest.mark.parametrize("role", ["manager", "director", "hr", "peer"])
def test_it_answers_404_to_a_withdrawal_by_someone_else(client, people, signup, role):
    client.force_login(getattr(people, role))

    response = client.post(withdraw_url(signup))

    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.ACTIVE


def test_it_withdraws_only_by_post(client, people, signup):
    response = get(client, people.engineer, withdraw_url(signup))

    assert response.status_code == 405


def test_it_says_why_a_late_withdrawal_fails(client, people, signup):
    with time_machine.travel(AFTER_WINDOW, tick=False):
        client.force_login(people.engineer)
        response = client.post(withdraw_url(signup), follow=True)

    assert messages_of(response) == [
        "Sign-up for Winter rotation is closed: it closed on 30 November 2026. "
        "Sign-ups can no longer change."
    ]
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.ACTIVE


def test_signing_up_again_after_withdrawing_keeps_what_was_typed_before(
    client, people, cycle, revision, signup, mentor
):
    client.force_login(people.engineer)
    client.post(withdraw_url(signup))

    response = client.get(reverse("mentorship:signup_create", args=[cycle.pk, Role.MENTEE]))

    form = response.context["form"]
    assert form.initial["goals"] == "Learn to run an incident."
    assert form.initial["preference_1"] == mentor.pk
    assert form.initial["competencies"] == [competency(revision, "code").pk]
    page = response.content.decode()
    assert "Learn to run an incident." in page


# --- my rotation -------------------------------------------------------------------------------

MINE = "/rotations/mine/"


def test_it_serves_my_rotation_and_team_participation_where_the_nav_points():
    assert reverse("mentorship:my_rotation") == MINE
    assert reverse("mentorship:team_participation") == TEAM


def test_it_shows_my_current_sign_up_with_edit_and_withdraw(client, people, signup):
    page = main(get(client, people.engineer, MINE))

    assert "Winter rotation" in page
    assert "You signed up as a <strong>mentee</strong>" in page
    assert "Learn to run an incident." in page
    assert edit_url(signup) in page
    assert withdraw_url(signup) in page


def test_it_invites_someone_not_signed_up_to_the_open_cycle(client, people, cycle):
    page = main(get(client, people.engineer, MINE))

    assert "Sign up to Winter rotation" in page
    assert signup_url(cycle, "mentor") in page
    assert signup_url(cycle, "mentee") in page


def test_it_says_when_nothing_is_open(client, people):
    page = main(get(client, people.engineer, MINE))

    assert "no cycle is open for sign-up right now" in page


def test_it_shows_the_published_pairing_and_why(client, people, pairing):
    page = main(get(client, people.engineer, MINE))

    assert "Your mentor: <a" in page
    assert "Mara Mendes" in page
    assert "Staff Engineer" in page
    assert "Search" in page
    assert pairing.mentor.person.get_absolute_url() in page
    assert "Tame the flaky deploys" in page
    assert "A green pipeline for a month." in page
    for reason in EXPLANATION:
        assert f"<li>{reason}</li>" in page


def test_it_shows_the_mentor_their_mentee(client, people, pairing):
    page = main(get(client, pairing.mentor.person, MINE))

    assert "Your mentee: <a" in page
    assert "Eli Novak" in page


@pytest.mark.parametrize("name", ["checkin", "feedback"])
def test_it_links_check_in_and_feedback_pages_once_they_exist(client, people, pairing, name):
    page = main(get(client, people.engineer, MINE))

    try:
        url = reverse(f"mentorship:{name}", args=[pairing.pk])
    except NoReverseMatch:
        assert f"/{pairing.pk}/" not in page.split("Why you were paired")[1].split("</article>")[0]
    else:
        assert url in page


def test_it_keeps_a_proposed_pairing_hidden_until_published(client, people, pairing):
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.PROPOSED)

    page = main(get(client, people.engineer, MINE))

    assert "Mara Mendes" not in page
    assert "You were not paired this cycle." in page


def test_it_says_why_someone_was_not_paired(client, people, revision):
    cycle = past_cycle(revision, status=RotationCycle.Status.PUBLISHED)
    signup = SignUpFactory(cycle=cycle, person=people.engineer)
    MatchRunFactory(
        cycle=cycle,
        unmatched=[{"signup": signup.pk, "reason": "No mentor teaches Delivery this cycle."}],
    )

    page = main(get(client, people.engineer, MINE))

    assert "You were not paired this cycle." in page
    assert "No mentor teaches Delivery this cycle." in page


def test_it_lists_past_rotations(client, people, pairing):
    RotationCycle.objects.filter(pk=pairing.cycle_id).update(status=RotationCycle.Status.CLOSED)

    page = main(get(client, people.engineer, MINE))

    past = page[page.index("Past rotations") :]
    assert "Autumn rotation" in past
    assert "Mara Mendes" in past
    assert "Tame the flaky deploys" in past


@pytest.mark.parametrize("role", ["manager", "director", "peer", "hr"])
def test_it_shows_each_person_only_their_own_rotation(client, people, signup, pairing, role):
    page = main(get(client, getattr(people, role), MINE))

    assert "Learn to run an incident." not in page
    assert "Mara Mendes" not in page


# --- my reports' participation ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "director"])
def test_it_shows_the_manager_chain_their_reports_sign_ups_and_pairings(
    client, people, signup, pairing, role
):
    page = main(get(client, getattr(people, role), TEAM))

    winter = page[page.index("Winter rotation") : page.index("Autumn rotation")]
    assert "Eli Novak" in winter
    assert "Mentee" in winter
    assert "Signed up" in winter
    autumn = page[page.index("Autumn rotation") :]
    assert "Eli Novak" in autumn
    assert "Paired" in autumn
    assert "Mara Mendes" in autumn
    assert edit_url(signup) in page


def test_it_shows_another_manager_only_their_own_reports(client, people, signup, mentor):
    page = main(get(client, people.other_manager, TEAM))

    assert "Pia Laine" in page
    assert "Eli Novak" not in page


@pytest.mark.parametrize("role", ["engineer", "peer", "hr"])
def test_it_shows_someone_with_no_reports_an_empty_page(client, people, signup, pairing, role):
    page = main(get(client, getattr(people, role), TEAM))

    assert "Nobody reports to you." in page
    assert "Eli Novak" not in page
    assert "Mara Mendes" not in page


def test_it_hides_a_proposed_pairing_from_the_manager(client, people, pairing):
    RotationCycle.objects.filter(pk=pairing.cycle_id).update(status=RotationCycle.Status.REVIEW)
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.PROPOSED)

    page = main(get(client, people.manager, TEAM))

    assert "Waiting for the match" in page
    assert "Mara Mendes" not in page


def test_it_shows_a_withdrawn_sign_up_as_withdrawn(client, people, signup):
    SignUp.objects.filter(pk=signup.pk).update(status=SignUp.Status.WITHDRAWN)

    page = main(get(client, people.manager, TEAM))

    assert "Withdrawn" in page
    assert "0 of the 1 people under you take part." in page


def _team_queries(client, revision, n: int) -> int:
    boss = UserFactory(team=TeamFactory(name=f"Team of {n}"))
    open_cycle = RotationCycleFactory(ladder=revision.ladder)
    running = past_cycle(revision, name=f"Running {n}")
    for _ in range(n):
        report = UserFactory(manager=boss, team=boss.team)
        SignUpFactory(cycle=open_cycle, person=report)
        PublishedPairingFactory(
            run__cycle=running, mentee=SignUpFactory(cycle=running, person=report)
        )
    client.force_login(boss)
    client.get(TEAM)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TEAM)
    assert f"{n} of the {n} people under you take part." in main(response)
    return len(captured)


def test_it_shows_participation_in_the_same_number_of_queries_for_3_and_30(
    client, people, revision
):
    assert _team_queries(client, revision, 3) == _team_queries(client, revision, 30)


def test_it_marks_gaps_but_keeps_the_persons_own_choices_when_editing(
    client, people, signup, revision
):
    final_assessment(people.engineer, revision, {"design": 2})

    page = main(get(client, people.engineer, edit_url(signup)))

    assert page.count("from your ladder gaps</span>") == 1
    assert not _checked(page, competency(revision, "design").pk)
    assert _checked(page, competency(revision, "code").pk)
    assert "Prefilled from your ladder gaps" not in page


def _list_queries(client, revision, viewer, n: int) -> int:
    for i in range(n):
        closed = past_cycle(revision, status=RotationCycle.Status.CLOSED, name=f"Past {n}-{i}")
        SignUpFactory(cycle=closed, person=viewer)
        MentorSignUpFactory(cycle=closed)
    client.force_login(viewer)
    client.get(reverse("mentorship:cycle_list"))  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("mentorship:cycle_list"))
    assert main(response).count("You: mentee") >= n
    return len(captured)


def test_it_lists_cycles_in_the_same_number_of_queries_for_3_and_30(client, people, revision):
    few = _list_queries(client, revision, UserFactory(), 3)
    many = _list_queries(client, revision, UserFactory(), 30)

    assert few == many


def _mine_queries(client, revision, n: int) -> int:
    person = UserFactory()
    for i in range(n):
        closed = past_cycle(revision, status=RotationCycle.Status.CLOSED, name=f"Done {n}-{i}")
        PublishedPairingFactory(
            run__cycle=closed, mentee=SignUpFactory(cycle=closed, person=person)
        )
    client.force_login(person)
    client.get(MINE)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(MINE)
    past = main(response)[main(response).index("Past rotations") :]
    assert past.count("<tr>") == n + 1  # and the header row
    return len(captured)


def test_it_shows_my_rotation_in_the_same_number_of_queries_for_3_and_30_past_ones(
    client, people, revision
):
    assert _mine_queries(client, revision, 3) == _mine_queries(client, revision, 30)
