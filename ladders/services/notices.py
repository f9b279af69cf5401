"""What ladders tell people (messaging.notify: email and/or Slack as each
chose, once per event, recorded in the caller's transaction): both sides of
an assessment submitted, a stretch application, its decision."""

from django.conf import settings
from django.urls import reverse

from messaging.notify import notify

from ..models import Assessment, StretchParticipation


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def assessment_submitted_notify(*, assessment: Assessment) -> None:
    """Both sides are in: the person and their manager hear it, once."""
    person, manager = assessment.person, assessment.manager
    for recipient in (person, manager):
        notify(
            notice="assessment_submitted",
            key=f"assessment-submitted:{assessment.pk}",
            person=recipient,
            link=_link("ladders:assessment_detail", assessment.pk),
            context={
                "person": person,
                "manager_of_person": manager,
                "level": str(assessment.level),
            },
        )


def stretch_application_notify(*, participation: StretchParticipation) -> None:
    """Whoever posted the assignment hears of each application (a renewed one too)."""
    assignment = participation.assignment
    notify(
        notice="stretch_application",
        key=f"stretch-application:{participation.pk}:{participation.applied_at:%Y%m%d%H%M%S%f}",
        person=assignment.posted_by,
        link=_link("ladders:stretch_detail", assignment.pk),
        context={
            "applicant": participation.person,
            "assignment": assignment,
            "motivation": participation.motivation,
        },
    )


def stretch_decision_notify(*, participation: StretchParticipation, decided_by) -> None:
    """The applicant hears whether they are in, once per decision."""
    assignment = participation.assignment
    notify(
        notice="stretch_decision",
        key=f"stretch-decision:{participation.pk}:{participation.decided_at:%Y%m%d%H%M%S%f}",
        person=participation.person,
        link=_link("ladders:stretch_detail", assignment.pk),
        context={
            "assignment": assignment,
            "accepted": participation.status == StretchParticipation.Status.ACCEPTED,
            "decided_by": decided_by,
        },
    )
