"""The rotation admin: people team only; the cycle actions move a cycle from
sign-up to close through the services; the review page lists a run's pairings
with their explanations and the unmatched with their reasons, and locks,
removes, swaps, re-runs and publishes, in a flat number of queries."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import MatchRun, Pairing, Preference, Role, RotationCycle, SignUp
from mentorship.services import matching_run
from mentorship.services.matching_run import match_run_execute
from people.errors import ApplicationError
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import (
    MatchRunFactory,
    PairingFactory,
    RotationCycleFactory,
    SignUpFactory,
    signed_up,
)
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = RotationCycle.Status
CHANGELIST = reverse("admin:mentorship_rotationcycle_changelist")


def review_url(cycle):
    return reverse("admin:mentorship_rotationcycle_review", args=[cycle.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def revision():
    return published_ladder(competencies=("design", "testing", "people"))


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def sign_up(cycle, revision, role, team, goals=("design",)):
    level = "L4" if role == Role.MENTOR else "L2"
    person = UserFactory(team=TeamFactory(name=team))
    return signed_up(cycle, revision, role=role, level=level, goals=goals, person=person)


@pytest.fixture
def open_cycle(revision):
    """An open cycle with two mentors and two mentees who can all be paired."""
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.OPEN, name="Winter 2026")
    sign_up(cycle, revision, Role.MENTOR, "Search")
    sign_up(cycle, revision, Role.MENTOR, "Identity", goals=("design", "testing"))
    sign_up(cycle, revision, Role.MENTEE, "Payments", goals=("design", "testing"))
    sign_up(cycle, revision, Role.MENTEE, "Billing")
    return cycle


def act(client, action, cycle):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [cycle.pk]}, follow=True)


def execute_latest_run(cycle):
    """What the worker does once the action's transaction commits."""
    run = MatchRun.objects.filter(cycle=cycle).latest()
    match_run_execute(match_run_id=run.pk)
    return MatchRun.objects.get(pk=run.pk)


@pytest.fixture
def in_review(hr_client, open_cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        act(hr_client, "close_and_match", open_cycle)
    run = execute_latest_run(open_cycle)
    open_cycle.refresh_from_db()
    assert open_cycle.status == Status.REVIEW
    return open_cycle, run


# --- the cycle actions ------------------------------------------------------------------


def test_closing_sign_ups_from_the_list_starts_a_run_once_the_request_commits(
    hr_client, open_cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = act(hr_client, "close_and_match", open_cycle)

    open_cycle.refresh_from_db()
    assert open_cycle.status == Status.MATCHING
    assert MatchRun.objects.get(cycle=open_cycle).status == MatchRun.Status.PENDING
    assert len(callbacks) == 1
    assert messages_of(response) == [
        "Sign-ups to Winter 2026 are closed; the match is being computed. Review it in a moment."
    ]


def test_an_action_the_status_does_not_allow_says_why_and_changes_nothing(hr_client, revision):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.DRAFT, name="Spring")

    response = act(hr_client, "publish", cycle)

    cycle.refresh_from_db()
    assert cycle.status == Status.DRAFT
    assert messages_of(response) == ["Spring is “draft”: only a match in review can be published."]


def test_the_cycle_moves_from_draft_to_closed_through_the_actions(
    hr_client, revision, django_capture_on_commit_callbacks
):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.DRAFT)
    sign_up(cycle, revision, Role.MENTOR, "Search")
    sign_up(cycle, revision, Role.MENTEE, "Payments")

    act(hr_client, "open_signups", cycle)
    cycle.refresh_from_db()
    assert cycle.status == Status.OPEN
    with django_capture_on_commit_callbacks():
        act(hr_client, "close_and_match", cycle)
    execute_latest_run(cycle)
    with django_capture_on_commit_callbacks() as callbacks:
        act(hr_client, "publish", cycle)
    cycle.refresh_from_db()
    assert cycle.status == Status.PUBLISHED
    assert len(callbacks) == 1  # the emails, by a worker
    assert Pairing.objects.get(cycle=cycle).status == Pairing.Status.PUBLISHED
    response = act(hr_client, "close", cycle)
    cycle.refresh_from_db()
    assert cycle.status == Status.PUBLISHED  # published -> active comes first
    assert "it can move to “active”" in messages_of(response)[0]


def test_rerunning_from_the_list_keeps_the_cycle_matching_until_the_run_is_done(
    hr_client, in_review, django_capture_on_commit_callbacks
):
    cycle, first = in_review

    with django_capture_on_commit_callbacks():
        act(hr_client, "rerun_keeping_locks", cycle)

    cycle.refresh_from_db()
    assert cycle.status == Status.MATCHING
    second = execute_latest_run(cycle)
    assert second.pk != first.pk
    assert second.status == MatchRun.Status.DONE


def test_the_cycle_form_refuses_a_level_code_not_on_the_ladder(hr_client, revision):
    response = hr_client.post(
        reverse("admin:mentorship_rotationcycle_add"),
        {
            "name": "Summer",
            "theme": "Reliability",
            "signup_opens_on": "2027-05-01",
            "signup_closes_on": "2027-05-20",
            "starts_on": "2027-06-01",
            "ends_on": "2027-07-31",
            "ladder": revision.ladder.pk,
            "mentor_min_level": "L9",
            "mentee_min_level": "L1",
            "mentee_max_level": "L3",
            "min_level_gap": 1,
            "default_mentor_capacity": 1,
            "require_cross_team": "on",
            "repeat_window": 2,
        },
    )

    assert response.status_code == 200
    assert "L9 is not a level of Engineering; choose one of L1, L2, L3, L4." in (
        response.content.decode()
    )
    assert not RotationCycle.objects.filter(name="Summer").exists()


CYCLE_FORM = {
    "name": "Summer",
    "theme": "Reliability",
    "description": "",
    "signup_opens_on": "2027-05-01",
    "signup_closes_on": "2027-05-20",
    "starts_on": "2027-06-01",
    "ends_on": "2027-07-31",
    "mentor_min_level": "L3",
    "mentee_min_level": "L1",
    "mentee_max_level": "L2",
    "min_level_gap": 1,
    "default_mentor_capacity": 1,
    "require_cross_team": "on",
    "repeat_window": 2,
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"mentee_min_level": "L3", "mentee_max_level": "L1"},
            "mentee_max_level",
            "The highest mentee level (L1) is below the lowest (L3) on Engineering, "
            "so no one could sign up as a mentee: swap them.",
            id="mentee levels reversed",
        ),
        pytest.param(
            {"signup_closes_on": "2027-04-20"},
            "signup_closes_on",
            "Sign-ups cannot close before they open.",
            id="sign-ups close before they open",
        ),
        pytest.param(
            {"starts_on": "2027-05-10"},
            "starts_on",
            "The rotation starts once sign-ups are closed.",
            id="starts during sign-up",
        ),
        pytest.param(
            {"ends_on": "2027-06-01"},
            "ends_on",
            "The rotation must end after the day it starts.",
            id="ends the day it starts",
        ),
        pytest.param(
            {"default_mentor_capacity": 0},
            "default_mentor_capacity",
            "A mentor takes between 1 and 5 mentees.",
            id="no capacity",
        ),
    ],
)
def test_the_cycle_form_explains_a_cross_field_rule_on_its_field_and_keeps_the_input(
    hr_client, revision, changes, field, message
):
    data = {**CYCLE_FORM, "ladder": revision.ladder.pk, **changes}

    response = hr_client.post(reverse("admin:mentorship_rotationcycle_add"), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {field: [message]}
    assert "is violated" not in response.content.decode()
    for name, value in changes.items():
        assert form[name].value() == str(value)  # what was typed is still there
    assert not RotationCycle.objects.filter(name="Summer").exists()


def test_the_cycle_form_refuses_reversed_dates_on_a_saved_cycle_and_changes_nothing(
    hr_client, revision
):
    cycle = RotationCycleFactory(ladder=revision.ladder, name="Spring")
    before = (cycle.starts_on, cycle.ends_on)
    data = {
        **CYCLE_FORM,
        "name": "Spring",
        "ladder": revision.ladder.pk,
        "starts_on": "2027-06-01",
        "ends_on": "2027-05-01",
    }

    response = hr_client.post(
        reverse("admin:mentorship_rotationcycle_change", args=[cycle.pk]), data
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ends_on": ["The rotation must end after the day it starts."]
    }
    cycle.refresh_from_db()
    assert (cycle.starts_on, cycle.ends_on) == before


def test_the_cycle_form_states_the_length_limit_of_its_description(hr_client, revision):
    data = {**CYCLE_FORM, "ladder": revision.ladder.pk, "description": "x" * 10_001}

    response = hr_client.post(reverse("admin:mentorship_rotationcycle_add"), data)

    form = response.context["adminform"].form
    assert form.errors["description"] == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    assert 'maxlength="10000"' in response.content.decode()
    assert "At most 10,000 characters." in response.content.decode()
    assert not RotationCycle.objects.filter(name="Summer").exists()


# --- the review page, per role ----------------------------------------------------------------


def test_the_people_team_sees_pairings_with_explanations_and_the_unmatched(
    hr_client, org, revision, django_capture_on_commit_callbacks
):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.OPEN)
    sign_up(cycle, revision, Role.MENTOR, "Search")
    sign_up(cycle, revision, Role.MENTEE, "Payments")
    lonely = sign_up(cycle, revision, Role.MENTEE, "Billing", goals=("people",))
    with django_capture_on_commit_callbacks():
        act(hr_client, "close_and_match", cycle)
    execute_latest_run(cycle)

    response = hr_client.get(review_url(cycle))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pairings (1)" in page
    # The people team reads about the mentee, not to them (the mentee's page says "your").
    assert "Teaches Design, their learning goal" in page
    assert "your learning goal" not in page
    assert "Crosses teams: Payments → Search" in page
    assert "Unmatched (1)" in page
    assert str(lonely.person) in page
    assert "No mentor teaches People this cycle." in page
    assert "Re-run keeping locks" in page and "Publish the match" in page


def test_the_review_page_is_404_for_staff_outside_the_people_team(client, org, in_review):
    cycle, _ = in_review
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)

    assert client.get(review_url(cycle)).status_code == 404
    assert client.post(review_url(cycle), {"action": "publish"}).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == Status.REVIEW


@pytest.mark.parametrize("who", ["engineer", "peer", "manager", "director"])
def test_the_review_page_sends_people_without_admin_access_to_the_admin_sign_in(
    client, org, in_review, who
):
    cycle, _ = in_review
    client.force_login(getattr(org, who))

    response = client.get(review_url(cycle))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_review_page_sends_an_anonymous_visitor_to_the_admin_sign_in(client, in_review):
    cycle, _ = in_review
    client.logout()  # the fixture signed the people team in to set the cycle up

    response = client.get(review_url(cycle))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_review_page_is_404_for_a_cycle_that_does_not_exist(hr_client):
    assert (
        hr_client.get(reverse("admin:mentorship_rotationcycle_review", args=[999])).status_code
        == 404
    )


def test_staff_outside_the_people_team_cannot_run_the_cycle_actions(client, org, open_cycle):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)

    response = client.post(
        CHANGELIST, {"action": "close_and_match", "_selected_action": [open_cycle.pk]}
    )

    assert response.status_code == 404  # as if the page did not exist (issue 9)
    open_cycle.refresh_from_db()
    assert open_cycle.status == Status.OPEN


# --- the review page's buttons -------------------------------------------------------------


def test_locking_and_unlocking_a_pairing(hr_client, in_review):
    cycle, run = in_review
    pairing = run.pairings.first()

    hr_client.post(review_url(cycle), {"action": "lock", "pairing": pairing.pk})
    pairing.refresh_from_db()
    assert pairing.locked
    response = hr_client.post(
        review_url(cycle), {"action": "unlock", "pairing": pairing.pk}, follow=True
    )
    pairing.refresh_from_db()
    assert not pairing.locked
    assert messages_of(response)[-1] == f"{pairing}: unlocked."


def test_removing_a_pairing_lists_both_as_unmatched(hr_client, in_review):
    cycle, run = in_review
    pairing = run.pairings.select_related("mentee__person").first()

    response = hr_client.post(
        review_url(cycle), {"action": "remove", "pairing": pairing.pk}, follow=True
    )

    assert not Pairing.objects.filter(pk=pairing.pk).exists()
    page = response.content.decode()
    assert "Unmatched (2)" in page
    assert "Removed by the people team." in page


def test_swapping_two_pairings_trades_their_mentors(hr_client, in_review):
    cycle, run = in_review
    first, second = run.pairings.order_by("pk")
    mentors = (first.mentor_id, second.mentor_id)

    response = hr_client.post(
        review_url(cycle),
        {"action": "swap", "pairing_a": first.pk, "pairing_b": second.pk},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.mentor_id, second.mentor_id) == (mentors[1], mentors[0])
    assert messages_of(response)[0].startswith("Swapped the mentors of")


def test_a_refused_swap_shows_the_rule_on_the_form_with_the_choices_kept(
    hr_client, revision, django_capture_on_commit_callbacks
):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.OPEN)
    sign_up(cycle, revision, Role.MENTOR, "Search")
    sign_up(cycle, revision, Role.MENTOR, "Payments")
    sign_up(cycle, revision, Role.MENTEE, "Payments")
    sign_up(cycle, revision, Role.MENTEE, "Search")
    with django_capture_on_commit_callbacks():
        act(hr_client, "close_and_match", cycle)
    run = execute_latest_run(cycle)
    first, second = run.pairings.order_by("pk")

    response = hr_client.post(
        review_url(cycle), {"action": "swap", "pairing_a": first.pk, "pairing_b": second.pk}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not swapped:" in page and "this cycle pairs people across teams" in page
    # The pickers are search fields now (issue 13): they keep what was typed.
    assert 'name="pairing_a" id="id_pairing_a"' in page and f'value="{first.pk}"' in page
    assert f'value="{second.pk}"' in page
    first.refresh_from_db()
    assert first.mentor_id != second.mentor_id


def test_swapping_a_pairing_with_itself_is_refused_on_the_form(hr_client, in_review):
    cycle, run = in_review
    pairing = run.pairings.first()

    response = hr_client.post(
        review_url(cycle), {"action": "swap", "pairing_a": pairing.pk, "pairing_b": pairing.pk}
    )

    assert response.status_code == 200
    assert "Pick two different pairings to swap." in response.content.decode()


def test_publishing_from_the_review_page(hr_client, in_review, django_capture_on_commit_callbacks):
    cycle, run = in_review

    with django_capture_on_commit_callbacks() as callbacks:
        response = hr_client.post(review_url(cycle), {"action": "publish"}, follow=True)

    cycle.refresh_from_db()
    assert cycle.status == Status.PUBLISHED
    assert len(callbacks) == 1
    assert set(run.pairings.values_list("status", flat=True)) == {Pairing.Status.PUBLISHED}
    assert messages_of(response) == ["Published 2 pairings; emails are on their way."]


def test_rerunning_from_the_review_page_keeps_the_locks(
    hr_client, in_review, django_capture_on_commit_callbacks
):
    cycle, run = in_review
    locked = run.pairings.first()
    hr_client.post(review_url(cycle), {"action": "lock", "pairing": locked.pk})

    with django_capture_on_commit_callbacks():
        hr_client.post(review_url(cycle), {"action": "rerun"})
    second = execute_latest_run(cycle)

    kept = second.pairings.get(mentee_id=locked.mentee_id)
    assert (kept.mentor_id, kept.locked) == (locked.mentor_id, True)
    page = hr_client.get(review_url(cycle)).content.decode()
    assert f"Run {second.pk}: figures" in page


# --- query counts ---------------------------------------------------------------------------------


def review_queries(client, revision, size):
    cycle = RotationCycleFactory(ladder=revision.ladder, status=Status.REVIEW)
    run = MatchRunFactory(
        cycle=cycle,
        figures={"matched": size, "mentees": size + 1, "seconds": {"load": 0.1, "total": 0.3}},
        unmatched=[{"signup": 0, "person": "Ada", "role": "mentee", "team": "", "reason": "Full."}],
    )
    for _ in range(size):
        PairingFactory(run=run, cycle=cycle)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(review_url(cycle))
    assert response.content.decode().count('name="action" value="remove"') == size
    return len(captured)


def test_the_review_page_runs_the_same_number_of_queries_for_3_and_30_pairings(hr_client, revision):
    assert review_queries(hr_client, revision, 3) == review_queries(hr_client, revision, 30)


def test_the_run_admin_shows_figures_and_reasons_read_only(hr_client, in_review, revision):
    cycle, run = in_review
    SignUpFactory(cycle=cycle, role=Role.MENTEE)
    run.unmatched = [
        {
            "signup": 1,
            "person": "Ada Bauer",
            "role": "mentee",
            "team": "Payments",
            "reason": "No mentor teaches Testing this cycle.",
        }
    ]
    dropped = "The lock on Ada Bauer with Ben Okafor was dropped: Both are on Payments."
    run.figures["locks_dropped"] = [dropped]
    run.save()

    response = hr_client.get(reverse("admin:mentorship_matchrun_change", args=[run.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mentees matched" in page and "No mentor teaches Testing this cycle." in page
    assert dropped in page
    assert dropped in hr_client.get(review_url(cycle)).content.decode()
    assert 'name="_save"' not in page  # nothing to save: read-only
    listing = hr_client.get(reverse("admin:mentorship_matchrun_changelist"))
    assert "2 of 2" in listing.content.decode()


def test_the_sign_up_admin_searches_and_filters(hr_client, open_cycle):
    signup = open_cycle.signups.select_related("person").first()

    response = hr_client.get(
        reverse("admin:mentorship_signup_changelist"),
        {"q": signup.person.email, "cycle__id__exact": open_cycle.pk, "role__exact": signup.role},
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_after_a_failed_run_the_review_page_offers_to_run_it_again(
    hr_client, open_cycle, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(*args, **kwargs):
        raise ApplicationError("Ladder changed while matching.")

    monkeypatch.setattr(matching_run, "_compute", crash)
    with django_capture_on_commit_callbacks():
        act(hr_client, "close_and_match", open_cycle)
    execute_latest_run(open_cycle)

    page = hr_client.get(review_url(open_cycle)).content.decode()
    assert "is failed: Ladder changed while matching." in page
    assert "Re-run keeping locks" in page and "Publish the match" not in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks():
        hr_client.post(review_url(open_cycle), {"action": "rerun"})
    assert execute_latest_run(open_cycle).status == MatchRun.Status.DONE


def test_withdrawing_a_mentor_from_the_admin_drops_the_preferences_naming_them(
    hr_client, open_cycle
):
    mentor = open_cycle.signups.filter(role=Role.MENTOR).first()
    mentee = open_cycle.signups.filter(role=Role.MENTEE).first()
    Preference.objects.create(mentee=mentee, mentor=mentor, rank=1)

    hr_client.post(
        reverse("admin:mentorship_signup_changelist"),
        {"action": "withdraw", "_selected_action": [mentor.pk]},
    )

    mentor.refresh_from_db()
    assert mentor.status == SignUp.Status.WITHDRAWN
    assert not Preference.objects.filter(mentor=mentor).exists()


def test_the_sign_up_admin_refuses_a_preference_for_a_withdrawn_mentor(hr_client, open_cycle):
    mentor, other = open_cycle.signups.filter(role=Role.MENTOR)[:2]
    mentee = open_cycle.signups.filter(role=Role.MENTEE).first()
    SignUp.objects.filter(pk=mentor.pk).update(status=SignUp.Status.WITHDRAWN)
    url = reverse("admin:mentorship_signup_change", args=[mentee.pk])
    form = hr_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in ("cycle", "person", "role", "goals", "capacity")}
    data.update(
        {
            "competencies": [c.pk for c in mentee.competencies.all()],
            "project_title": "",
            "project_outcome": "",
            "hours_per_week": 2,
            "preferences-TOTAL_FORMS": 1,
            "preferences-INITIAL_FORMS": 0,
            "preferences-0-rank": 1,
            "preferences-0-mentor": mentor.pk,
        }
    )

    response = hr_client.post(url, data)

    assert response.status_code == 200
    assert "is not an active mentor of this cycle" in response.content.decode()
    assert not Preference.objects.filter(mentee=mentee).exists()
    assert other.status == SignUp.Status.ACTIVE
