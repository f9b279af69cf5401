"""A person's private calendar feed: only with the current token (anything
else is 404), every dated item of theirs, conditional requests answered
304, and the same number of queries for 3 items as for 30."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calendars.models import FeedToken
from calendars.services import feed_token_ensure, feed_token_reset
from ladders.models import StretchParticipation
from onboarding.models import Kind, PlanTask
from tests.ladders.factories import StretchAssignmentFactory
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def feed_url(person) -> str:
    return reverse("calendars:feed", args=[feed_token_ensure(person=person).token])


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def new_hire(org):
    plan = OnboardingPlanFactory(
        new_hire__name="Nora Hale", new_hire__start_date=dt.date(2027, 1, 4)
    )
    PlanTaskFactory(plan=plan, title="Set up your laptop", due_on=dt.date(2027, 1, 4))
    PlanTaskFactory(
        plan=plan,
        title="Pair on a first bug",
        kind=Kind.PAIRING,
        due_on=dt.date(2027, 1, 6),
        partner=org.peer,
        assignee=plan.new_hire,
    )
    return plan.new_hire


def test_it_lists_the_persons_onboarding_tasks_as_all_day_events(client, new_hire):
    response = client.get(feed_url(new_hire))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    tasks = {task.title: task for task in PlanTask.objects.filter(plan__new_hire=new_hire)}
    laptop = found[f"onboarding-task-{tasks['Set up your laptop'].pk}"]
    assert str(laptop["summary"]) == "Set up your laptop"
    assert laptop.decoded("dtstart") == dt.date(2027, 1, 4)
    assert laptop.decoded("dtend") == dt.date(2027, 1, 5)
    assert str(laptop["url"]).endswith(reverse("onboarding:my_checklist"))


def test_the_pairing_partner_sees_the_pairing_task_with_the_new_hires_name(client, org, new_hire):
    found = events(client.get(feed_url(org.peer)))

    (event,) = found.values()
    assert str(event["summary"]) == "Pair on a first bug (Nora Hale)"
    assert event.decoded("dtstart") == dt.date(2027, 1, 6)


def test_it_lists_rotation_dates_and_accepted_stretch_assignments(client, org):
    cycle = RotationCycleFactory(
        status="published", starts_on=dt.date(2027, 1, 11), ends_on=dt.date(2027, 3, 11)
    )
    pairing = PublishedPairingFactory(
        cycle=cycle,
        run__cycle=cycle,
        mentor=MentorSignUpFactory(cycle=cycle, person=org.peer),
        mentee=SignUpFactory(cycle=cycle, person=org.engineer),
    )
    assignment = StretchAssignmentFactory(title="Queue migration", posted_by=org.manager)
    taken = StretchParticipation.objects.create(
        assignment=assignment, person=org.engineer, status=StretchParticipation.Status.ACCEPTED
    )

    found = events(client.get(feed_url(org.engineer)))

    assert found[f"pairing-{pairing.pk}-start"].decoded("dtstart") == dt.date(2027, 1, 11)
    assert str(found[f"pairing-{pairing.pk}-start"]["summary"]) == "Rotation starts with Pia Laine"
    assert found[f"pairing-{pairing.pk}-checkin"].decoded("dtstart") == cycle.checkin_on
    assert found[f"pairing-{pairing.pk}-end"].decoded("dtstart") == dt.date(2027, 3, 11)
    assert found[f"stretch-{taken.pk}-start"].decoded("dtstart") == assignment.starts_on
    assert str(found[f"stretch-{taken.pk}-end"]["summary"]) == (
        "Stretch assignment ends: Queue migration"
    )


def test_someone_elses_items_are_not_in_the_feed(client, org, new_hire):
    assert events(client.get(feed_url(org.engineer))) == {}


def test_a_wrong_token_is_404(client, new_hire):
    feed_token_ensure(person=new_hire)

    assert client.get(reverse("calendars:feed", args=["not-the-token"])).status_code == 404


def test_a_reset_token_is_404_and_the_new_one_works(client, new_hire):
    old = feed_url(new_hire)
    feed_token_reset(person=new_hire)

    assert client.get(old).status_code == 404
    assert client.get(feed_url(new_hire)).status_code == 200


def test_someone_who_left_has_no_feed(client, new_hire):
    url = feed_url(new_hire)
    new_hire.is_active = False
    new_hire.save()

    assert client.get(url).status_code == 404


def test_an_unchanged_feed_answers_304_to_its_etag_and_to_its_date(client, new_hire):
    url = feed_url(new_hire)
    first = client.get(url)

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_date.status_code == 304


def test_a_changed_feed_answers_200_with_a_new_etag(client, new_hire):
    url = feed_url(new_hire)
    first = client.get(url)
    PlanTask.objects.filter(title="Set up your laptop").update(due_on=dt.date(2027, 1, 5))

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert FeedToken.objects.get(person=new_hire).fingerprint.startswith(again["ETag"][1:-1])


def _items_for(person, count: int) -> None:
    plan = OnboardingPlanFactory(new_hire=person, start_date=dt.date(2027, 1, 4))
    for day in range(count):
        PlanTaskFactory(plan=plan, due_on=dt.date(2027, 1, 4) + dt.timedelta(days=day))


def _queries(client, person) -> int:
    url = feed_url(person)
    client.get(url)  # the first request records the fingerprint
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_feed_does_the_same_queries_for_3_items_as_for_30(client):
    few, many = UserFactory(), UserFactory()
    _items_for(few, 3)
    _items_for(many, 30)

    assert _queries(client, few) == _queries(client, many)


# --- the settings page ----------------------------------------------------------------


def test_the_settings_page_shows_the_private_address(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("calendars:my_settings"))

    token = FeedToken.objects.get(person=org.engineer).token
    assert response.status_code == 200
    assert reverse("calendars:feed", args=[token]) in response.content.decode()


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("calendars:my_settings"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_resetting_from_the_page_gives_a_new_address(client, org):
    client.force_login(org.engineer)
    old = feed_token_ensure(person=org.engineer).token

    response = client.post(reverse("calendars:feed_reset"), follow=True)

    assert FeedToken.objects.get(person=org.engineer).token != old
    assert "the old one no longer works" in response.content.decode()


def test_the_profile_page_links_to_the_settings_for_oneself_only(client, org):
    client.force_login(org.engineer)

    own = client.get(reverse("people:person_detail", args=[org.engineer.pk])).content.decode()
    other = client.get(reverse("people:person_detail", args=[org.peer.pk])).content.decode()

    assert reverse("calendars:my_settings") in own
    assert reverse("calendars:my_settings") not in other


def test_without_slack_the_page_says_everything_is_email(client, org, settings):
    settings.SLACK_BOT_TOKEN = ""
    client.force_login(org.engineer)

    page = client.get(reverse("calendars:my_settings")).content.decode()

    assert "Slack is not set up here" in page


def test_with_slack_a_person_chooses_slack_only(client, org, settings):
    from messaging.preferences import channel_of

    settings.SLACK_BOT_TOKEN = "xoxb-test"
    client.force_login(org.engineer)
    assert channel_of(org.engineer) == "both"

    response = client.post(reverse("calendars:my_settings"), {"channel": "slack"})

    assert response.status_code == 302
    assert channel_of(org.engineer) == "slack"


def test_an_unknown_channel_is_refused_and_nothing_changes(client, org, settings):
    from messaging.preferences import channel_of

    settings.SLACK_BOT_TOKEN = "xoxb-test"
    client.force_login(org.engineer)

    response = client.post(reverse("calendars:my_settings"), {"channel": "pigeon"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert channel_of(org.engineer) == "both"
