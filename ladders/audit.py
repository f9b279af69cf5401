"""What the audit log shows of ladders: levels, assessments, ratings and
stretch decisions. Named in
settings.AUDIT_KINDS (config/wiring.py), read by people/audit.py."""

from django.db.models import Q

from people.audit import kind_about

from .models import Assessment, CompetencyRating, Placement, StretchParticipation


def _rating_subject(h) -> str:
    side = "self" if h.side == "self" else "manager's"
    return f"{h.competency.name}: {side} rating in {h.assessment.person}'s assessment"


KINDS = (
    kind_about(
        "person",
        key="level",
        label="Level",
        model=Placement,
        fields=("level", "since"),
        subject=lambda h: f"{h.person}'s level: {h.level.code} {h.level.name}",
        select_related=("level",),
    ),
    kind_about(
        "person",
        key="assessment",
        label="Assessment",
        model=Assessment,
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
        select_related=("level",),
    ),
    kind_about(
        "assessment__person",
        key="rating",
        label="Rating",
        model=CompetencyRating,
        fields=("rating", "evidence", "stretch"),
        subject=_rating_subject,
        select_related=("competency",),
        # The empty ratings written when an assessment starts say nothing:
        # the assessment's own row says it started.
        hide=Q(history_type="+", rating__isnull=True),
    ),
    kind_about(
        "person",
        key="stretch",
        label="Stretch assignment",
        model=StretchParticipation,
        fields=("status", "motivation", "decided_at", "completed_at", "outcome"),
        subject=lambda h: f"{h.person} on “{h.assignment.title}”",
        select_related=("assignment",),
    ),
)
