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

from core.jobs import jobs_enqueue
from messaging.notify import notify
from people.history import history_bulk_update
from people.models import User

from ..models import Assessment, AssessmentRequest, StretchParticipation

Participation = StretchParticipation


def ladders_hand_over(person_ids: list[int]) -> None:
    """person_left: free stretch seats, pass on assessments owed. In bulk: a
    fixed number of queries however many leave at once (a CSV, a SCIM batch)."""
    _seats_free(person_ids)
    successors = {
        leaver.pk: leaver.manager
        for leaver in User.objects.filter(pk__in=person_ids).select_related("manager")
        if leaver.manager is not None and leaver.manager.is_active
    }
    _assessments_pass_on(successors)
    _requests_pass_on(successors)


def _seats_free(person_ids: list[int]) -> None:
    seats = list(
        Participation.objects.select_for_update(of=("self",))
        .filter(person_id__in=person_ids, status__in=Participation.HOLDS_SEAT)
        .select_related("person")
        .order_by("pk")
    )
    for participation in seats:
        participation._change_reason = f"{participation.person} left"
    history_bulk_update(seats, same={"status": Participation.Status.WITHDRAWN})
    jobs_enqueue("ladders.tasks.stretch_leaver_tell_poster_task", [[p.pk] for p in seats])


def _assessments_pass_on(successors: dict[int, User]) -> None:
    """Assessments they were to write go to their manager (never an
    assessment of that manager themselves)."""
    owed = list(
        Assessment.objects.filter(manager_id__in=successors)
        .exclude(status=Assessment.Status.FINAL)
        .select_related("manager")
        .order_by("pk")
    )
    passed = [a for a in owed if a.person_id != successors[a.manager_id].pk]
    for assessment in passed:
        assessment._change_reason = f"{assessment.manager} left; their manager takes it over"
        assessment.manager = successors[assessment.manager_id]
    history_bulk_update(passed, same={}, each=["manager"])


def _requests_pass_on(successors: dict[int, User]) -> None:
    """Open requests for an assessment go to their manager, who is told of
    each by the usual email: unclaimed (notified_at cleared), then queued."""
    asked = AssessmentRequest.objects.filter(
        manager_id__in=successors, kind=AssessmentRequest.Kind.ASK, answered_at__isnull=True
    )
    passed = [r for r in asked.order_by("pk") if r.person_id != successors[r.manager_id].pk]
    for request in passed:
        request.manager, request.notified_at = successors[request.manager_id], None
    if passed:
        AssessmentRequest.objects.bulk_update(passed, ["manager", "notified_at"])
    jobs_enqueue("ladders.tasks.assessment_request_notify_task", [[r.pk] for r in passed])


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
