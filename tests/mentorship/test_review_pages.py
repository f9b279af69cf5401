"""The review page at any size: pairings and unmatched people a page at a
time with a search, the swap pickers that find a pairing from typed words,
and the search endpoint behind their lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.admin import review_listing as admin_review
from mentorship.models import RotationCycle
from mentorship.selectors.review import (
    PICKER_LIMIT,
    pairing_label,
    pairing_pick,
    unmatched_search,
)
from people.errors import ApplicationError
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import (
    MatchRunFactory,
    MentorSignUpFactory,
    PairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)

# The review fixtures of the admin tests (a cycle closed, matched and in review).
from tests.mentorship.test_admin import in_review, open_cycle, review_url, revision  # noqa: F401
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


@pytest.fixture
def run(db):
    cycle = RotationCycleFactory(
        ladder=published_ladder().ladder, status=RotationCycle.Status.REVIEW
    )
    return MatchRunFactory(cycle=cycle, figures={"matched": 0})


def pair(run, mentor: str, mentee: str, score=10.0):
    return PairingFactory(
        run=run,
        mentor=MentorSignUpFactory(cycle=run.cycle, person=UserFactory(name=mentor)),
        mentee=SignUpFactory(cycle=run.cycle, person=UserFactory(name=mentee)),
        score=score,
    )


def search_url(cycle):
    return reverse("admin:mentorship_rotationcycle_review_pairings", args=[cycle.pk])


def test_it_pages_the_pairings_best_first(hr_client, run, monkeypatch):
    monkeypatch.setattr(admin_review, "PAIRINGS_PER_PAGE", 2)
    for k in range(5):
        pair(run, f"Mentor {k}", f"Mentee {k}", score=10 + k)
    page = hr_client.get(review_url(run.cycle)).content.decode()
    assert "Pairings (5)" in page and "Page 1 of 3 (1\u20132 of 5)" in page
    assert "Mentor 4" in page and "Mentor 3" in page and "Mentor 2" not in page
    page = hr_client.get(review_url(run.cycle), {"page": 3}).content.decode()
    assert "Mentor 0" in page and "Mentor 4" not in page


def test_it_searches_either_person_of_a_pairing_and_the_unmatched(hr_client, run):
    pair(run, "Ada Lovelace", "Ben Okafor")
    pair(run, "Cy Young", "Dee Ramos")
    run.unmatched = [
        {"person": "Eve Adams", "role": "mentee", "team": "Payments", "reason": "Full."},
        {"person": "Finn Bell", "role": "mentor", "team": "Search", "reason": "Nobody."},
    ]
    run.save()
    page = hr_client.get(review_url(run.cycle), {"q": "okafor"}).content.decode()
    assert "Pairings (1 of 2 match “okafor”)" in page
    assert "Ada Lovelace" in page and "Cy Young" not in page
    assert "Unmatched (0 of 2 match “okafor”)" in page
    page = hr_client.get(review_url(run.cycle), {"q": "payments"}).content.decode()
    assert "Eve Adams" in page and "Finn Bell" not in page


def test_a_rows_swap_link_fills_the_first_picker(hr_client, run):
    first = pair(run, "Ada Lovelace", "Ben Okafor")
    pair(run, "Cy Young", "Dee Ramos")
    page = hr_client.get(review_url(run.cycle), {"swap": first.pk}).content.decode()
    assert f'value="Ada Lovelace with Ben Okafor (#{first.pk})"' in page
    assert f"swap={first.pk}#swap-heading" in page


def test_swapping_by_a_typed_name_and_a_picked_label(hr_client, in_review):  # noqa: F811
    cycle, run = in_review
    first, second = run.pairings.order_by("pk")
    mentors = (first.mentor_id, second.mentor_id)
    data = {
        "action": "swap",
        "pairing_a": first.mentee.person.email,  # typed words, without the list
        "pairing_b": pairing_label(second),  # what the list offers
    }
    response = hr_client.post(review_url(cycle) + "?q=example&page=1", data)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.mentor_id, second.mentor_id) == (mentors[1], mentors[0])
    assert response.status_code == 302 and response.url.endswith("?q=example&page=1")


@pytest.mark.parametrize(
    "typed,message",
    [
        ("zed", "No pairing of this run matches “zed”."),
        ("o", "“o” matches 2 pairings: type more of a name, or pick one from the list."),
        ("Someone (#999999)", "No pairing of this run is “Someone (#999999)”"),
    ],
)
def test_a_picker_says_what_is_wrong_and_keeps_the_text(hr_client, run, typed, message):
    pair(run, "Ada Lovelace", "Ben Okafor")
    second = pair(run, "Cy Young", "Dee Ramos")
    data = {"action": "swap", "pairing_a": typed, "pairing_b": str(second.pk)}
    page = hr_client.post(review_url(run.cycle), data).content.decode()
    assert message in page and f'value="{typed}"' in page


def test_a_pairing_of_another_run_cannot_be_picked(run):
    other = pair(MatchRunFactory(cycle=run.cycle), "Gus Grant", "Hal Hope")
    with pytest.raises(ApplicationError):
        pairing_pick(run.pairings.all(), f"Gus (#{other.pk})")


def test_the_search_endpoint_lists_at_most_the_limit(hr_client, run):
    for k in range(PICKER_LIMIT + 5):
        pair(run, f"Mentor {k:02d}", f"Mentee {k:02d}")
    pair(run, "Ada Lovelace", "Ben Okafor")
    results = hr_client.get(search_url(run.cycle), {"q": "mentor"}).json()["results"]
    assert len(results) == PICKER_LIMIT
    results = hr_client.get(search_url(run.cycle), {"q": "ada ben"}).json()["results"]
    assert [r["label"] for r in results] == [f"Ada Lovelace with Ben Okafor (#{results[0]['id']})"]


def test_the_search_endpoint_is_404_for_staff_outside_the_people_team(client, org, run):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)
    assert client.get(search_url(run.cycle), {"q": "a"}).status_code == 404


def test_unmatched_search_needs_every_word():
    rows = [{"person": "Eve Adams", "team": "Payments"}, {"person": "Eve Bell", "team": "Search"}]
    assert unmatched_search(rows, "eve search") == [rows[1]]
    assert unmatched_search(rows, " ") == rows


def test_a_searched_review_page_runs_the_same_queries_for_3_and_30_pairings(hr_client, run):
    def queries_with(count):
        for k in range(count):
            pair(run, f"Mentor {k}", f"Mentee {k}")
        with CaptureQueriesContext(connection) as captured:
            response = hr_client.get(review_url(run.cycle), {"q": "mentee"})
        assert response.status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(27)


def signups_url(cycle):
    return reverse("admin:mentorship_rotationcycle_review_signups", args=[cycle.pk])


def test_the_pair_by_hand_pickers_list_unmatched_mentees_or_mentors(hr_client, run):
    pair(run, "Ada Lovelace", "Ben Okafor")
    left_out = SignUpFactory(cycle=run.cycle, person=UserFactory(name="Bea Left"))
    teacher = MentorSignUpFactory(cycle=run.cycle, person=UserFactory(name="Bo Teacher"))
    mentees = hr_client.get(signups_url(run.cycle), {"role": "mentee", "q": "b"}).json()
    assert [r["id"] for r in mentees["results"]] == [left_out.pk]  # Ben has a mentor
    mentors = hr_client.get(signups_url(run.cycle), {"role": "mentor", "q": "bo"}).json()
    team = teacher.person.team
    assert [r["label"] for r in mentors["results"]] == [f"Bo Teacher, {team} (#{teacher.pk})"]


def test_the_pair_by_hand_pickers_are_404_for_staff_outside_the_people_team(client, org, run):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)
    assert client.get(signups_url(run.cycle), {"role": "mentor"}).status_code == 404


def test_pair_by_hand_picks_by_typed_words_and_says_what_is_wrong(run):
    pair(run, "Ada Lovelace", "Ben Okafor")
    left_out = SignUpFactory(cycle=run.cycle, person=UserFactory(name="Bea Left"))
    data = {"action": "pair", "mentee": "bea", "mentor": "zed"}
    form = admin_review.PairByHandForm(data, cycle=run.cycle, run=run)
    assert not form.is_valid()
    assert form.errors["mentor"] == ["No mentor matches “zed”."]
    data["mentor"] = "ada"
    form = admin_review.PairByHandForm(data, cycle=run.cycle, run=run)
    assert form.is_valid() and form.cleaned_data["mentee"] == left_out


def test_a_review_page_with_many_sign_ups_runs_the_same_queries_and_lists_none(hr_client, run):
    def page_with(count):
        for k in range(count):
            SignUpFactory(cycle=run.cycle, person=UserFactory(name=f"Left {k}"))
            MentorSignUpFactory(cycle=run.cycle, person=UserFactory(name=f"Teacher {k}"))
        with CaptureQueriesContext(connection) as captured:
            response = hr_client.get(review_url(run.cycle))
        assert response.status_code == 200 and "<option" not in response.content.decode()
        return len(captured)

    assert page_with(3) == page_with(30)
