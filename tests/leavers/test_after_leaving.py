"""After a leaving: Slack for those who take it, the people team's view of
the pairings someone left, re-matching the mentee, assessments owed, and a
rehire that restores sign-in but nothing handed over."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from ladders.models import Assessment, AssessmentRequest
from mentorship.models import MatchRun, Pairing, SignUp
from mentorship.services.review import pairing_create_by_hand, pairing_remove
from messaging.models import Channel, ContactPreference, SlackMessage
from onboarding.models import Kind
from onboarding.services.invitations import plan_invitations_send
from people.services.lifecycle import person_deactivate, person_reactivate
from tests.leavers.conftest import SCIM_PATCH, fresh, run_jobs, told
from tests.mentorship.factories import MentorSignUpFactory, place
from tests.mentorship.test_kickoff_invitations import invitations_to, the_event
from tests.onboarding.factories import PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_on_slack_each_partner_and_the_people_team_hear_it_once(world, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
    ContactPreference.objects.create(person=world.ann, channel=Channel.SLACK)
    person_deactivate(person=world.lee)
    run_jobs(times=2)
    to_people = {
        message.key: sorted(p.email for p in message.recipients.all())
        for message in SlackMessage.objects.filter(channel="")
    }
    assert to_people == {
        # notify()'s keys: the event, then to whom.
        f"slack:partner-left:pairing-{world.to_ann.pk}:to-{world.ann.pk}": ["ann.a@example.com"],
        f"slack:partner-left:pairing-{world.to_ben.pk}:to-{world.ben.pk}": ["ben.b@example.com"],
        f"slack:partner-left:pairing-{world.by_cat.pk}:to-{world.cat.pk}": ["cat.c@example.com"],
        f"slack:stretch-left:participation-{world.seat.pk}:to-{world.pat.pk}": [
            "pat.poster@example.com"
        ],
        f"slack:buddy-intro:plan-{world.plan.pk}:buddy-{world.sam.pk}": [
            "noa.new@example.com",
            "sam.senior@example.com",
        ],
    }
    to_channel = set(SlackMessage.objects.exclude(channel="").values_list("key", flat=True))
    assert to_channel == {
        f"slack:pairing-left:pairing-{p.pk}"
        for p in (world.to_ann, world.to_ben, world.by_cat, world.proposed)
    }
    # Ann takes Slack only: no email for her.
    assert "ann.a@example.com" not in [to for to, _ in told()]


def test_the_people_team_sees_who_left_on_the_cycle_and_review_pages(world, client):
    person_deactivate(person=world.lee)
    cycle_page = reverse("mentorship:cycle_detail", args=[world.published.pk])
    client.force_login(world.hr)
    page = client.get(cycle_page).content.decode()
    assert "Pairings someone left" in page and "Lee Leaver" in page and "25 November 2026" in page
    review = client.get(
        reverse("admin:mentorship_rotationcycle_review", args=[world.review.pk])
    ).content.decode()
    assert "Pairings someone left (1)" in review
    client.force_login(world.ann)
    assert "Pairings someone left" not in client.get(cycle_page).content.decode()


def test_the_mentee_of_a_proposal_is_re_matched_by_hand(world):
    person_deactivate(person=world.lee)
    other = MentorSignUpFactory(cycle=world.review, person=UserFactory(name="Ola Other"))
    place(other.person, world.revision, "L4")
    place(world.dan, world.revision, "L1")
    pairing_remove(pairing=fresh(world.proposed), by=world.hr)
    run = MatchRun.objects.get(pk=world.proposed.run_id)
    mentee = SignUp.objects.get(pk=world.proposed.mentee_id)
    paired = pairing_create_by_hand(cycle=world.review, mentor=other, mentee=mentee, by=world.hr)
    assert paired.run_id == run.pk and paired.mentee_id == mentee.pk
    assert Pairing.history.filter(id=world.proposed.pk, left_person=world.lee).exists()


def test_a_re_run_re_matches_the_mentee_without_the_leaver(world):
    from mentorship.services.matching_run import match_run_execute, match_run_start

    person_deactivate(person=world.lee)
    other = MentorSignUpFactory(cycle=world.review, person=UserFactory(name="Ola Other"))
    place(other.person, world.revision, "L4")
    place(world.dan, world.revision, "L1")
    run = match_run_start(cycle=world.review, requested_by=world.hr)
    match_run_execute(match_run_id=run.pk)
    pairs = set(run.pairings.values_list("mentor__person__name", "mentee__person__name"))
    assert pairs == {("Ola Other", "Dan D")}
    assert fresh(world.proposed).left_person_id == world.lee.pk  # the old run stays, flagged


def test_assessments_the_leaver_owed_pass_to_their_manager_who_is_told(world):
    ida = UserFactory(name="Ida Report", email="ida@example.com", manager=world.lee)
    level = world.revision.levels.get(code="L2")
    owed = Assessment.objects.create(person=ida, manager=world.lee, level=level)
    asked_by = UserFactory(name="Ian Asker", email="ian@example.com", manager=world.lee)
    request = AssessmentRequest.objects.create(
        person=asked_by, manager=world.lee, kind=AssessmentRequest.Kind.ASK
    )
    AssessmentRequest.objects.filter(pk=request.pk).update(notified_at="2026-11-01T00:00Z")
    person_deactivate(person=world.lee)
    run_jobs(times=2)
    assert fresh(owed).manager == world.boss
    assert fresh(request).manager == world.boss
    assert told().count(("bo.boss@example.com", "Ian Asker asks you for an assessment")) == 1


def test_rehire_restores_sign_in_but_not_what_was_handed_over(world, client, scim):
    person_deactivate(person=world.lee)
    run_jobs()
    body = {"schemas": [SCIM_PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]}
    assert scim.patch(f"/scim/v2/Users/{world.lee.pk}", body).status_code == 200
    run_jobs()
    lee = fresh(world.lee)
    assert lee.is_active and lee.end_date is None
    assert client.login(username=lee.email, password="correct horse battery")
    assert fresh(world.plan).buddy == world.sam
    assert fresh(world.open_signup).status == SignUp.Status.WITHDRAWN
    assert fresh(world.seat).status == "withdrawn"
    assert fresh(world.to_ann).left_person_id == lee.pk  # history of the flag stays


def test_reactivating_through_the_service_is_the_same(world):
    person_deactivate(person=world.lee)
    person_reactivate(person=world.lee)
    assert fresh(world.plan).buddy_id is None  # waits for the engine; Lee is not given it back


def test_a_mentee_whose_published_mentor_left_is_paired_again_and_told(world, client):
    person_deactivate(person=world.lee)
    run_jobs()
    mail_before = len(told())
    ola = UserFactory(name="Ola Other", email="ola@example.com")
    other = MentorSignUpFactory(cycle=world.published, person=ola, capacity=2)
    place(ola, world.revision, "L4")
    place(world.ann, world.revision, "L1")
    ann_signup = SignUp.objects.get(pk=world.to_ann.mentee_id)
    client.force_login(world.hr)
    review = reverse("admin:mentorship_rotationcycle_review", args=[world.published.pk])
    page = client.get(review).content.decode()
    assert "Pair again a mentee whose mentor left" in page
    response = client.post(
        review, {"action": "pair", "mentor": other.pk, "mentee": ann_signup.pk}, follow=True
    )
    assert "published, and both are told" in response.content.decode()
    new = Pairing.objects.get(mentee=ann_signup, left_person=None)
    assert new.status == Pairing.Status.PUBLISHED and new.mentor == other
    run_jobs(times=2)
    news = told()[mail_before:]
    assert sorted(to for to, _ in news) == ["ann.a@example.com", "ola@example.com"]
    # The ended pairing is no commitment any more, and stays as history.
    assert fresh(world.to_ann).left_person_id == world.lee.pk


def test_a_published_pairing_nobody_left_never_changes(world):
    from people.errors import ApplicationError

    other = MentorSignUpFactory(cycle=world.published, person=UserFactory(), capacity=2)
    with pytest.raises(ApplicationError, match="Only a mentee whose mentor left"):
        pairing_create_by_hand(
            cycle=world.published,
            mentor=other,
            mentee=SignUp.objects.get(pk=world.to_ann.mentee_id),
        )


def test_the_leavers_page_counts_the_pairings_they_left(world, client):
    from onboarding.models import OffboardingChecklist

    person_deactivate(person=world.lee)
    checklist = OffboardingChecklist.objects.get(leaver=world.lee)
    client.force_login(world.hr)
    listing = client.get(reverse("onboarding:leavers")).content.decode()
    assert "Pairings they left" in listing and "<strong>4</strong>" in listing
    detail = client.get(reverse("onboarding:offboarding_detail", args=[checklist.pk]))
    assert detail.content.decode().count("left 25 November 2026") == 4
    client.force_login(world.boss)  # Lee's manager: the checklist, not the pairings
    detail = client.get(reverse("onboarding:offboarding_detail", args=[checklist.pk]))
    assert (
        detail.status_code == 200 and "Rotation pairings they left" not in detail.content.decode()
    )


def test_a_replaced_buddy_re_invites_the_new_hire_to_the_pairing_session(world):
    """Same UID, SEQUENCE + 1, the new buddy instead of the leaver: the new
    hire's calendar updates the session in place; both hear it once."""
    session = PlanTaskFactory(
        plan=world.plan,
        title="Pair on the deploy",
        kind=Kind.PAIRING,
        partner=world.lee,
        due_on=dt.date(2026, 11, 30),
    )
    plan_invitations_send(plan_id=world.plan.pk)
    (first,) = invitations_to("noa.new@example.com")
    mail.outbox.clear()

    person_deactivate(person=world.lee)
    run_jobs(times=2)

    assert fresh(session).partner == world.sam
    (noa,) = invitations_to("noa.new@example.com")
    (sam,) = invitations_to("sam.senior@example.com")
    for calendar in (noa, sam):
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == str(the_event(first)["uid"])
        assert event["sequence"] == the_event(first)["sequence"] + 1
        attendees = sorted(str(a).removeprefix("mailto:") for a in event["attendee"])
        assert attendees == ["noa.new@example.com", "sam.senior@example.com"]
    noa_email = next(m for m in mail.outbox if "Pair on the deploy" in m.subject)
    assert noa_email.subject.startswith("Updated: ")
