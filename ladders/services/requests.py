"""An engineer asks their manager for an assessment, or starts a
self-assessment; either way the manager is told by email, once.

The request row and a durable job to email it are written in the same
transaction as the change; the email task claims the row (a
conditional UPDATE of ``notified_at``), so running it twice sends one email.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_enqueue
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
    """Email the manager about the request. Safe to run twice: only the run
    that claims the row sends; a send that fails rolls the claim back so the
    retry sends. Returns whether this run sent it."""
    with transaction.atomic():
        claimed = AssessmentRequest.objects.filter(pk=request_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if claimed != 1:
            return False
        request = AssessmentRequest.objects.select_related("person", "manager", "assessment").get(
            pk=request_id
        )
        if not (request.manager.is_active and request.manager.email):
            return False
        send_mail(
            subject=_subject(request),
            message=render_to_string(
                "ladders/email/assessment_request.txt",
                {"request": request, "url": _url(request)},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[request.manager.email],
        )
    return True


def _subject(request: AssessmentRequest) -> str:
    if request.kind == AssessmentRequest.Kind.STARTED:
        return f"{request.person} started a self-assessment: your side is waiting"
    return f"{request.person} asks you for an assessment"


def _url(request: AssessmentRequest) -> str:
    if request.assessment_id:
        path = reverse("ladders:assessment_detail", args=[request.assessment_id])
    else:
        path = reverse("ladders:assessment_list", args=[request.person_id])
    return settings.SITE_URL.rstrip("/") + path
