"""manage.py seed_demo: a believable organisation, the same one every run, and
logins that work."""

import zoneinfo
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from people.demo import DEMO_PASSWORD, build_org
from people.models import Team, User
from people.selectors import manager_chain_ids
from tests.demo import seed_demo
from tests.people.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_allowed")]


def counts() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "teams": Team.objects.count(),
        "emails": EmailAddress.objects.count(),
        "people history": User.history.count(),
        "team history": Team.history.count(),
        "people team": User.objects.filter(groups__name=settings.PEOPLE_TEAM_GROUP).count(),
    }


def test_it_builds_at_least_200_people_in_15_teams():
    seed_demo()
    assert User.objects.count() >= 200
    assert Team.objects.count() >= 15


def test_teams_nest_departments_under_engineering():
    seed_demo()
    assert set(Team.objects.filter(parent__name="Engineering").values_list("name", flat=True)) == {
        "Product Engineering",
        "Platform",
        "Data",
    }
    assert Team.objects.get(name="Payments").parent.name == "Product Engineering"
    assert Team.objects.get(name="Observability").parent.name == "Platform"
    assert Team.objects.filter(parent__parent__name="Engineering").count() >= 12


def test_it_has_four_levels_of_management_above_the_engineers():
    seed_demo()
    depth = {u.pk: len(manager_chain_ids(person_id=u.pk)) for u in User.objects.all()}
    manager_ids = set(User.objects.exclude(manager=None).values_list("manager_id", flat=True))
    assert max(depth.values()) >= 4
    assert len({depth[pk] for pk in manager_ids}) >= 4  # CTO, VPs/directors, EMs, tech leads
    assert User.objects.filter(title="CTO", manager=None).count() == 1


def test_people_have_realistic_titles_timezones_and_start_dates():
    seed_demo()
    titles = set(User.objects.values_list("title", flat=True))
    assert {
        "Software Engineer",
        "Senior Software Engineer",
        "Staff Engineer",
        "CTO",
        "Engineering Manager",
        "VP Engineering",
        "Director of Engineering",
        "Principal Engineer",
        "Product Designer",
        "Data Scientist",
        "Site Reliability Engineer",
    } <= titles
    timezones = set(User.objects.values_list("timezone", flat=True))
    assert timezones <= zoneinfo.available_timezones()
    assert {
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
    } <= timezones
    years = {d.year for d in User.objects.values_list("start_date", flat=True)}
    assert len(years) >= 5


def test_a_few_new_hires_start_next_week():
    seed_demo()
    today = localdate()
    next_monday = today + timedelta(days=7 - today.weekday())
    new_hires = User.objects.filter(start_date__gt=today)
    assert 3 <= new_hires.count() <= 10
    for person in new_hires:
        assert next_monday <= person.start_date <= next_monday + timedelta(days=4)
        assert person.manager is not None
        assert not person.reports.exists()


def test_the_people_team_account_is_staff_and_in_the_group():
    seed_demo()
    hr = User.objects.get(email="hr@example.com")
    assert hr.is_staff and not hr.is_superuser
    assert hr.groups.filter(name=settings.PEOPLE_TEAM_GROUP).exists()
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff and admin.is_superuser


def test_every_demo_account_can_sign_in_with_the_demo_password(client):
    seed_demo()
    # One hash for everyone: checking the shared one once covers all of them.
    assert User.objects.values("password").distinct().count() == 1
    assert User.objects.get(email="hr@example.com").check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()
    response = client.post(
        reverse("account_login"), {"login": "hr@example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_records_history_for_people_and_teams():
    seed_demo()
    assert User.history.filter(history_type="+").count() == User.objects.count()
    assert Team.history.filter(history_type="+").count() == Team.objects.count()


def test_running_it_twice_creates_and_changes_nothing():
    seed_demo()
    before = counts()
    output = seed_demo()
    assert counts() == before
    assert "(0 created, 0 updated)" in output


def test_running_it_again_repairs_what_drifted():
    seed_demo()
    engineer = User.objects.filter(title="Software Engineer").first()
    title, manager_id = engineer.title, engineer.manager_id
    User.objects.filter(pk=engineer.pk).update(title="Juggler", manager=None, is_active=False)
    User.objects.get(email="admin@example.com").delete()
    output = seed_demo()
    engineer.refresh_from_db()
    assert (engineer.title, engineer.manager_id, engineer.is_active) == (title, manager_id, True)
    assert User.objects.filter(email="admin@example.com", is_superuser=True).exists()
    assert "(1 created, 1 updated)" in output


def test_it_leaves_people_outside_the_demo_alone():
    someone = UserFactory(email="someone@example.com", title="Juggler")
    seed_demo()
    someone.refresh_from_db()
    assert someone.title == "Juggler"
    assert not someone.groups.exists()


def test_it_draws_the_same_people_every_time():
    today = localdate()
    assert build_org(today=today) == build_org(today=today)


def test_it_writes_in_bulk():
    with CaptureQueriesContext(connection) as queries:
        seed_demo()
    # Bulk everywhere: people and ladders about 150 queries (the dozen stretch
    # assignments a few each), rotations about 85, onboarding about 125 (its
    # buddy hand-over is per plan); not one or more per person.
    assert len(queries) < 420


def test_it_prints_the_logins_to_use():
    output = seed_demo()
    cto = User.objects.get(title="CTO")
    new_hire = User.objects.filter(start_date__gt=localdate()).order_by("start_date", "name")[0]
    for text in ["hr@example.com", "admin@example.com", cto.email, new_hire.email, DEMO_PASSWORD]:
        assert text in output
    for role in ["people team", "admin", "CTO", "manager", "engineer", "new hire"]:
        assert role in output
    manager_line = next(line for line in output.splitlines() if line.startswith("manager "))
    manager = User.objects.get(email=manager_line.split()[1])
    assert manager.reports.exists()


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed_demo()
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(email="admin@example.com").exists()


def test_the_people_team_group_exists_even_if_it_was_removed():
    Group.objects.filter(name=settings.PEOPLE_TEAM_GROUP).delete()
    seed_demo()
    assert User.objects.filter(groups__name=settings.PEOPLE_TEAM_GROUP).count() >= 1
