"""What the ladders hand over when someone leaves (person_left, see
people/hooks.py and settings.PERSON_LIFECYCLE_SUBSCRIBERS):

- their stretch seats (applied or accepted) are freed: the participation is
  withdrawn, and the poster is told once, by a job (the ``stretch_leaver``
  notice);
- assessments they were to write as a manager, and requests for one made to
  them, pass to their own manager when they have one still here (who is told
  of each open request once, by the usual email); otherwise they stay as
  they are, for the people team to reassign;
- their own open assessment or request stays as it was, as history.

Rehiring gives nothing back."""

from django.conf import settings
from django.urls import reverse

from core.jobs import job_enqueue
from messaging.notify import notify
from people.models import User

from ..models import Assessment, AssessmentRequest, StretchParticipation

Participation = StretchParticipation


def ladders_hand_over(person_ids: list[int]) -> None:
    """person_left: free stretch seats, pass on assessments owed."""
    seats = list(
        Participation.objects.select_for_update(of=("self",))
        .filter(person_id__in=person_ids, status__in=Participation.HOLDS_SEAT)
        .select_related("person")
        .order_by("pk")
    )
    for participation in seats:
        participation.status = Participation.Status.WITHDRAWN
        participation._change_reason = f"{participation.person} left"
        participation.save(update_fields=["status"])
        job_enqueue("ladders.tasks.stretch_leaver_tell_poster_task", participation.pk)
    for leaver in User.objects.filter(pk__in=person_ids).select_related("manager"):
        _assessments_pass_on(leaver)


def _assessments_pass_on(leaver: User) -> None:
    successor = leaver.manager
    if successor is None or not successor.is_active:
        return
    owed = Assessment.objects.filter(manager=leaver).exclude(status=Assessment.Status.FINAL)
    for assessment in owed.exclude(person=successor):
        assessment.manager = successor
        assessment._change_reason = f"{leaver} left; their manager takes it over"
        assessment.save(update_fields=["manager"])
    requests = AssessmentRequest.objects.filter(
        manager=leaver, kind=AssessmentRequest.Kind.ASK, answered_at__isnull=True
    ).exclude(person=successor)
    for request_id in list(requests.values_list("pk", flat=True)):
        # The successor is told by the usual email: unclaim it, then queue it.
        AssessmentRequest.objects.filter(pk=request_id).update(manager=successor, notified_at=None)
        job_enqueue("ladders.tasks.assessment_request_notify_task", request_id)


def stretch_leaver_tell_poster(*, participation_id: int) -> bool:
    """The poster hears once that a participant left and their seat is free;
    returns whether they are told (by email, Slack or both)."""
    participation = (
        Participation.objects.select_related("person", "assignment__posted_by")
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        return False
    assignment = participation.assignment
    link = settings.SITE_URL.rstrip("/") + reverse("ladders:stretch_detail", args=[assignment.pk])
    told = notify(
        notice="stretch_leaver",
        key=f"stretch-left:participation-{participation.pk}",
        person=assignment.posted_by,
        link=link,
        context={
            "leaver": participation.person,
            "assignment": assignment,
            "still_open": assignment.status == assignment.Status.OPEN,
        },
    )
    return bool(told.email or told.slack)
