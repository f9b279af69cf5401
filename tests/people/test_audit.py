"""History that reads like an audit log: no rows without a change, and the
people team's pages (one person, the whole organisation) with who, when and
what changed, filterable and paginated at a flat query count."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.models import Side, StretchParticipation
from ladders.services.assessments import assessment_save_side, assessment_start
from ladders.services.placements import placement_record
from ladders.services.stretch import stretch_apply, stretch_decide
from mentorship.models import Pairing
from people.models import User
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.ladders.test_assessments import place
from tests.mentorship.factories import PairingFactory
from tests.onboarding.factories import OnboardingPlanFactory
from tests.pages import as_, main
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

EMPTY_ROWS_MIGRATION = importlib.import_module("people.migrations.0003_drop_empty_history_rows")


def history_url(person):
    return reverse("people:person_history", args=[person.pk])


# --- no rows without a change -----------------------------------------------------------


def test_it_adds_no_history_row_when_someone_signs_in(client, org):
    before = org.engineer.history.count()
    for _ in range(3):
        as_(client, org.engineer)
    org.engineer.refresh_from_db()
    assert org.engineer.last_login is not None
    assert org.engineer.history.count() == before


def test_it_adds_a_row_only_for_a_save_that_changes_something(org):
    before = org.engineer.history.count()
    org.engineer.save()  # nothing changed
    org.engineer.title = "Senior Engineer"
    org.engineer.save()
    assert org.engineer.history.count() == before + 1
    assert org.engineer.history.first().title == "Senior Engineer"


def test_the_migration_drops_the_empty_rows_already_recorded(org):
    latest = org.engineer.history.first()
    for _ in range(2):  # two empty "Changed" rows, as sign-ins used to add
        latest.pk, latest.history_type = None, "~"
        latest.save()
    org.engineer.title = "Senior Engineer"
    org.engineer.save()
    rows = org.engineer.history.count()

    EMPTY_ROWS_MIGRATION.drop_empty_rows(apps, None)

    assert org.engineer.history.count() == rows - 2
    assert [h.history_type for h in org.engineer.history.order_by("history_id")][-1] == "~"


# --- who may read it --------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("hr", 200),
        ("engineer", 404),  # not even their own: the log is the people team's
        ("manager", 404),
        ("director", 404),
        ("peer", 404),
    ],
)
def test_it_shows_a_persons_history_to_the_people_team_only(client, org, role, status):
    response = as_(client, getattr(org, role)).get(history_url(org.engineer))
    assert response.status_code == status


@pytest.mark.parametrize("role,status", [("hr", 200), ("engineer", 404), ("manager", 404)])
def test_it_shows_the_organisations_log_to_the_people_team_only(client, org, role, status):
    response = as_(client, getattr(org, role)).get(reverse("people:audit_log"))
    assert response.status_code == status


def test_it_answers_404_to_staff_outside_the_people_team(client, org):
    staff = UserFactory(is_staff=True)
    assert as_(client, staff).get(reverse("people:audit_log")).status_code == 404
    assert as_(client, staff).get(history_url(org.engineer)).status_code == 404


def test_it_answers_the_same_404_for_someone_who_does_not_exist(client, org):
    response = as_(client, org.hr).get(reverse("people:person_history", args=[999999]))
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, org):
    for url in (reverse("people:audit_log"), history_url(org.engineer)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- what it says -----------------------------------------------------------------------


def test_it_says_who_changed_a_rating_when_and_from_what_to_what(client, org):
    place(org.engineer, published_ladder())
    assessment = assessment_start(person=org.engineer, started_by=org.manager)
    code = assessment.level.revision.competencies.get(code="code")
    for rating in (2, 3):
        assessment_save_side(
            assessment=assessment,
            side=Side.MANAGER,
            author=org.manager,
            ratings={code.pk: (rating, "Led the billing rewrite", None)},
            submit=False,
        )

    page = main(as_(client, org.hr).get(history_url(org.engineer) + "?kind=rating"))

    assert page.count("audit-entry") == 2  # the empty ratings of the start are not listed
    assert "Code: manager&#x27;s rating in Eli Novak&#x27;s assessment" in page
    assert "by Mia Chen" in page
    assert '<span class="audit-old">2 · Developing' in page
    assert '<span class="audit-new">3 · Meets' in page


def test_it_lists_levels_assessments_and_stretch_decisions_of_the_person(client, org):
    revision = published_ladder()
    placement_record(
        person=org.engineer, level=revision.levels.get(code="L2"), since=dt.date(2025, 1, 1)
    )
    assessment_start(person=org.engineer, started_by=org.manager)
    participation = stretch_apply(
        assignment=StretchAssignmentFactory(posted_by=org.other_manager),
        person=org.engineer,
        motivation="I want to learn queues",
    )
    stretch_decide(participation=participation, decided_by=org.other_manager, accept=True)

    page = main(as_(client, org.hr).get(history_url(org.engineer)))

    assert "Eli Novak&#x27;s level: L2 Engineer L2" in page
    assert "Assessment of Eli Novak at L2" in page
    assert "by Omar Haddad" in page  # who decided
    assert '<span class="audit-old">Applied</span>' in page
    assert '<span class="audit-new">Accepted</span>' in page
    assert StretchParticipation.history.filter(status="accepted").count() == 1


def test_it_lists_pairings_on_both_peoples_history_and_plan_changes(client, org):
    pairing = PairingFactory(mentor__person=org.peer, mentee__person=org.engineer)
    cycle = pairing.cycle
    pairing.status = Pairing.Status.PUBLISHED
    pairing.save()
    plan = OnboardingPlanFactory(new_hire=org.engineer, start_date=dt.date(2026, 11, 30))
    plan.buddy = org.peer
    plan.save()

    for person in (org.engineer, org.peer):
        page = main(as_(client, org.hr).get(history_url(person) + "?kind=pairing"))
        assert f"Pia Laine mentoring Eli Novak in {cycle}" in page
        assert '<span class="audit-new">Published</span>' in page
    plan_page = main(as_(client, org.hr).get(history_url(org.engineer) + "?kind=plan"))
    assert "Eli Novak&#x27;s onboarding plan" in plan_page
    assert '<span class="audit-new">Pia Laine</span>' in plan_page


# --- filters -------------------------------------------------------------------------------


def test_it_filters_the_organisations_log_by_kind_person_and_dates(client, org):
    revision = published_ladder()
    placement_record(
        person=org.engineer, level=revision.levels.get(code="L2"), since=dt.date(2025, 1, 1)
    )
    placement_record(
        person=org.peer, level=revision.levels.get(code="L3"), since=dt.date(2025, 1, 1)
    )
    url = reverse("people:audit_log")
    today = timezone.localdate()

    by_person = main(as_(client, org.hr).get(url, {"kind": "level", "person": "pia laine"}))
    in_future = main(client.get(url, {"since": (today + dt.timedelta(days=1)).isoformat()}))
    today_only = main(client.get(url, {"kind": "level", "since": today, "until": today}))

    assert "Pia Laine&#x27;s level" in by_person and "Eli Novak&#x27;s level" not in by_person
    assert "No changes match these filters." in in_future
    assert today_only.count("audit-entry") == 2


def test_it_names_a_bad_date_range_and_keeps_the_filters(client, org):
    response = as_(client, org.hr).get(
        reverse("people:audit_log"), {"since": "2026-05-02", "until": "2026-05-01", "person": "Eli"}
    )
    assert response.status_code == 400
    page = main(response)
    assert "The end date is before the start date." in page
    assert 'value="Eli"' in page and 'value="2026-05-02"' in page


def test_it_paginates_newest_first(client, org):
    people = UserFactory.create_batch(30)
    for n, person in enumerate(people):
        person.title = f"Title {n}"
        person.save()

    first = main(as_(client, org.hr).get(reverse("people:audit_log"), {"kind": "profile"}))
    second = main(client.get(reverse("people:audit_log"), {"kind": "profile", "page": 2}))

    assert first.count("audit-entry") == 25
    assert first.index("Title 29") < first.index("Title 28")
    assert "Page 1 of" in first and "Page 2 of" in second


# --- query counts --------------------------------------------------------------------------


def _log_queries(client, hr, rows: int) -> int:
    revision = published_ladder(slug=f"ladder-{rows}")
    level = revision.levels.get(code="L2")
    for _ in range(rows):  # each person's rows together: every page mixes the kinds
        person = UserFactory(manager=hr)
        placement_record(person=person, level=level, since=dt.date(2025, 1, 1))
        person.title = "Staff Engineer"
        person.save()
    viewer = User.objects.get(pk=hr.pk)  # fresh: nothing cached from an earlier request
    client.force_login(viewer)
    url = reverse("people:audit_log")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"since": timezone.localdate().isoformat()})
    assert response.status_code == 200
    return len(captured)


def test_the_log_takes_as_many_queries_for_3_rows_as_for_30(client, org):
    few = _log_queries(client, org.hr, 3)
    many = _log_queries(client, org.hr, 30)
    assert few == many


def test_it_links_the_history_from_the_profile_and_home_for_the_people_team_only(client, org):
    link = history_url(org.engineer)
    assert link in main(as_(client, org.hr).get(org.engineer.get_absolute_url()))
    assert reverse("people:audit_log") in main(client.get(reverse("home")))
    assert link not in main(as_(client, org.manager).get(org.engineer.get_absolute_url()))
    assert reverse("people:audit_log") not in main(client.get(reverse("home")))


def _history_queries(client, hr, person, changes: int) -> int:
    revision = published_ladder(slug=f"ladder-{changes}")
    for n in range(changes):
        person.title = f"Title {changes}-{n}"
        person.save()
        placement_record(
            person=person,
            level=revision.levels.get(code="L2" if n % 2 else "L3"),
            since=dt.date(2025, 1, 1) + dt.timedelta(days=changes * 10 + n),
        )
    client.force_login(User.objects.get(pk=hr.pk))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(history_url(person)).status_code == 200
    return len(captured)


def test_a_persons_history_takes_as_many_queries_for_3_changes_as_for_30(client, org):
    # No team or manager: the first page of 30 changes does not reach the
    # person's creation, so it must not name more related records at 3.
    few = _history_queries(client, org.hr, UserFactory(team=None), 3)
    many = _history_queries(client, org.hr, UserFactory(team=None), 30)
    assert few == many
