"""What the audit log shows of rotations: sign-ups and pairings. Named in
settings.AUDIT_KINDS (config/wiring.py), read by people/audit.py."""

from people.audit import kind_about

from .models import Pairing, SignUp

KINDS = (
    kind_about(
        "person",
        key="signup",
        label="Rotation sign-up",
        model=SignUp,
        fields=("status", "role", "goals", "capacity", "project_title", "hours_per_week"),
        subject=lambda h: f"{h.person}'s sign-up to {h.cycle}",
        select_related=("cycle",),
    ),
    kind_about(
        "mentor__person",
        "mentee__person",
        key="pairing",
        label="Pairing",
        model=Pairing,
        fields=("status", "mentor", "mentee", "locked", "published_at"),
        subject=lambda h: f"{h.mentor.person} mentoring {h.mentee.person} in {h.cycle}",
        select_related=("cycle",),
    ),
)
