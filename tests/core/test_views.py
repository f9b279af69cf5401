"""The health endpoint and the people team's background page, for every role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Heartbeat, Job
from tests.people.factories import UserFactory

Status = Job.Status
pytestmark = pytest.mark.django_db
PAGE = reverse("core:background")


def failed_job(**fields) -> Job:
    fields.setdefault("task", "people.tasks.invitation_send_task")
    return Job.objects.create(
        status=Status.FAILED, attempts=8, last_error="SMTPAuthenticationError: 535", **fields
    )


def test_health_answers_ok_when_everything_works(client):
    Heartbeat.objects.create(name="relay", at=timezone.now(), detail="worker-1")

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "broker",
        "beat and workers",
    }
    assert body["jobs"] == {"waiting": 0, "running": 0, "failed": 0, "oldest_waiting_seconds": None}


def test_health_says_degraded_when_no_sweep_ran_lately_and_work_waits(client):
    Heartbeat.objects.create(name="relay", at=timezone.now() - timedelta(minutes=10))
    Job.objects.create(task="x", created_at=timezone.now() - timedelta(minutes=3))

    body = client.get("/health/").json()

    assert body["status"] == "degraded"
    assert body["checks"]["beat and workers"]["ok"] is False
    assert "late" in body["checks"]["beat and workers"]["detail"]
    assert body["jobs"]["waiting"] == 1
    assert 175 <= body["jobs"]["oldest_waiting_seconds"] <= 200


def test_health_counts_failures_as_degraded(client):
    Heartbeat.objects.create(name="relay", at=timezone.now())
    failed_job()

    body = client.get("/health/").json()

    assert (body["status"], body["jobs"]["failed"]) == ("degraded", 1)


def test_the_people_team_sees_failures_with_their_reason(client, people_team_member):
    failed_job()
    client.force_login(people_team_member)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "Email an invitation to sign in" in response.text
    assert "SMTPAuthenticationError: 535" in response.text
    assert "Needs attention" in response.text


def test_the_page_has_a_clear_empty_state(client, people_team_member):
    client.force_login(people_team_member)

    response = client.get(PAGE)

    assert "Nothing has failed." in response.text
    assert "Nothing is waiting." in response.text


@pytest.mark.parametrize("role", ["engineer", "manager", "staff outside the people team"])
def test_everyone_else_gets_404(client, org, role):
    person = {
        "engineer": org.engineer,
        "manager": org.manager,
        "staff outside the people team": UserFactory(is_staff=True),
    }[role]
    job = failed_job()
    client.force_login(person)

    assert client.get(PAGE).status_code == 404
    assert client.post(reverse("core:job_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.FAILED


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_retry_puts_a_failed_job_back_in_line_and_says_so(client, people_team_member):
    job = failed_job()
    client.force_login(people_team_member)

    response = client.post(reverse("core:job_retry", args=[job.pk]), follow=True)

    job.refresh_from_db()
    assert job.status in {Status.PENDING, Status.DONE}  # the embedded broker may be quick
    assert "will run again" in response.text


def test_retry_of_a_job_that_is_not_failed_changes_nothing_and_says_why(client, people_team_member):
    job = Job.objects.create(task="x", status=Status.DONE)
    client.force_login(people_team_member)

    response = client.post(reverse("core:job_retry", args=[job.pk]), follow=True)

    assert "is done, not failed" in response.text
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_retry_of_an_unknown_job_is_404(client, people_team_member):
    client.force_login(people_team_member)

    assert client.post(reverse("core:job_retry", args=[999999])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_does_the_same_queries_for_3_and_30_jobs(
    client, people_team_member, django_assert_max_num_queries, rows
):
    for n in range(rows):
        failed_job(args=[n])
        Job.objects.create(task="mentorship.tasks.match_run_execute_task", args=[n])
    client.force_login(people_team_member)
    client.get(PAGE)  # warm the session and permissions

    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200


def test_the_admin_lists_jobs_for_the_people_team_only(client, org):
    failed_job()
    client.force_login(org.hr)
    assert "SMTPAuthenticationError: 535" in client.get(reverse("admin:core_job_changelist")).text
    client.force_login(org.engineer)
    assert client.get(reverse("admin:core_job_changelist")).status_code != 200
    client.force_login(UserFactory(is_staff=True))  # staff outside the people team
    assert client.get(reverse("admin:core_job_changelist")).status_code == 404
