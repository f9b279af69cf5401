"""An engineer asks their manager for an assessment, or starts a
self-assessment; either way the manager is told, once, by email and/or
Slack as they chose.

The request row and a durable job to tell the manager are written in the same
transaction as the change; the task claims the row (a conditional UPDATE
of ``notified_at``) and records the notice (messaging.notify), so running
it twice tells the manager once.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_enqueue
from messaging.notify import notify
from people.errors import ApplicationError

from .. import policies
from ..models import Assessment, AssessmentRequest, Placement

MAX_NOTE = 1000


@transaction.atomic
def assessment_request(*, person, note: str = "") -> AssessmentRequest:
    """The person asks their manager to start an assessment of them."""
    if not policies.can_request_assessment(person, person):
        raise ApplicationError("Only people who can sign in can ask for an assessment.")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ApplicationError(
            f"Keep the note under {MAX_NOTE} characters (it has {len(note)}).", field="note"
        )
    manager = _manager_of(person)
    if not Placement.objects.filter(person=person).exists():
        raise ApplicationError(
            "You have no level on a ladder yet: ask your manager to record it first."
        )
    if Assessment.objects.filter(person=person).exclude(status=Assessment.Status.FINAL).exists():
        raise ApplicationError("You already have an assessment in progress.")
    try:
        with transaction.atomic():  # a savepoint: a double click leaves a clean refusal
            request = AssessmentRequest.objects.create(
                person=person, manager=manager, kind=AssessmentRequest.Kind.ASK, note=note
            )
    except IntegrityError:
        raise ApplicationError(
            f"You already asked {manager} for an assessment; they have been told."
        ) from None
    _enqueue_notify(request)
    return request


def _manager_of(person):
    manager = person.manager
    if manager is None or not manager.is_active:
        raise ApplicationError(
            "You have no manager on record to ask; the people team can record one."
        )
    return manager


def assessment_requests_answer(*, assessment: Assessment) -> int:
    """An assessment started: the person's open request is answered by it."""
    return AssessmentRequest.objects.filter(
        person_id=assessment.person_id, kind=AssessmentRequest.Kind.ASK, answered_at__isnull=True
    ).update(answered_at=timezone.now(), assessment=assessment)


def assessment_started_tell_manager(*, assessment: Assessment) -> AssessmentRequest:
    """The person started their own assessment: their manager writes the other
    side, so they are told (the row also says who started it, for the audit)."""
    request = AssessmentRequest.objects.create(
        person_id=assessment.person_id,
        manager_id=assessment.manager_id,
        kind=AssessmentRequest.Kind.STARTED,
        assessment=assessment,
        answered_at=timezone.now(),
    )
    _enqueue_notify(request)
    return request


def _enqueue_notify(request: AssessmentRequest) -> None:
    job_enqueue("ladders.tasks.assessment_request_notify_task", request.pk)


def assessment_request_notify(*, request_id: int) -> bool:
    """Tell the manager about the request, by email and/or Slack as they chose.
    Safe to run twice: only the run that claims the row records the notice.
    Returns whether this run did."""
    with transaction.atomic():
        claimed = AssessmentRequest.objects.filter(pk=request_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if claimed != 1:
            return False
        request = AssessmentRequest.objects.select_related("person", "manager", "assessment").get(
            pk=request_id
        )
        notice = notify(
            notice="assessment_request",
            key=f"assessment-request:{request.pk}",
            person=request.manager,
            link=_url(request),
            context={
                "person": request.person,
                "started": request.kind == AssessmentRequest.Kind.STARTED,
                "note": request.note,
            },
        )
    return bool(notice.email or notice.slack)


def _url(request: AssessmentRequest) -> str:
    if request.assessment_id:
        path = reverse("ladders:assessment_detail", args=[request.assessment_id])
    else:
        path = reverse("ladders:assessment_list", args=[request.person_id])
    return settings.SITE_URL.rstrip("/") + path
