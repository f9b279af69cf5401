"""What the audit log shows of rotations: sign-ups and pairings. Registered
from MentorshipConfig.ready() (people/audit.py)."""

from people.audit import AuditKind, person

from .models import Pairing, SignUp

KINDS = (
    AuditKind(
        key="signup",
        label="Rotation sign-up",
        model=SignUp,
        person_paths=("person_id",),
        fields=("status", "role", "goals", "capacity", "project_title", "hours_per_week"),
        subject=lambda h: f"{h.person}'s sign-up to {h.cycle}",
        about=lambda h: person(h.person),
        select_related=("person", "cycle"),
    ),
    AuditKind(
        key="pairing",
        label="Pairing",
        model=Pairing,
        person_paths=("mentor__person_id", "mentee__person_id"),
        fields=("status", "mentor", "mentee", "locked", "published_at"),
        subject=lambda h: f"{h.mentor.person} mentoring {h.mentee.person} in {h.cycle}",
        about=lambda h: person(h.mentor.person) + person(h.mentee.person),
        select_related=("mentor__person", "mentee__person", "cycle"),
    ),
)
