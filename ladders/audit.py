"""What the audit log shows of ladders: levels, assessments, ratings and
stretch decisions. Registered from LaddersConfig.ready() (people/audit.py)."""

from django.db.models import Q

from people.audit import AuditKind, person

from .models import Assessment, CompetencyRating, Placement, StretchParticipation


def _rating_subject(h) -> str:
    side = "self" if h.side == "self" else "manager's"
    return f"{h.competency.name}: {side} rating in {h.assessment.person}'s assessment"


KINDS = (
    AuditKind(
        key="level",
        label="Level",
        model=Placement,
        person_paths=("person_id",),
        fields=("level", "since"),
        subject=lambda h: f"{h.person}'s level: {h.level.code} {h.level.name}",
        about=lambda h: person(h.person),
        select_related=("person", "level"),
    ),
    AuditKind(
        key="assessment",
        label="Assessment",
        model=Assessment,
        person_paths=("person_id",),
        fields=(
            "status",
            "level",
            "manager",
            "self_submitted_at",
            "manager_submitted_at",
            "finalised_at",
            "summary",
        ),
        subject=lambda h: f"Assessment of {h.person} at {h.level.code}",
        about=lambda h: person(h.person),
        select_related=("person", "level"),
    ),
    AuditKind(
        key="rating",
        label="Rating",
        model=CompetencyRating,
        person_paths=("assessment__person_id",),
        fields=("rating", "evidence", "stretch"),
        subject=_rating_subject,
        about=lambda h: person(h.assessment.person),
        select_related=("competency", "assessment__person"),
        # The empty ratings written when an assessment starts say nothing:
        # the assessment's own row says it started.
        hide=Q(history_type="+", rating__isnull=True),
    ),
    AuditKind(
        key="stretch",
        label="Stretch assignment",
        model=StretchParticipation,
        person_paths=("person_id",),
        fields=("status", "motivation", "decided_at", "completed_at", "outcome"),
        subject=lambda h: f"{h.person} on “{h.assignment.title}”",
        about=lambda h: person(h.person),
        select_related=("person", "assignment"),
    ),
)
