"""What the audit log shows of onboarding: plans (buddy) and their tasks.
Registered from OnboardingConfig.ready() (people/audit.py)."""

from people.audit import AuditKind, person

from .models import OnboardingPlan, PlanTask

KINDS = (
    AuditKind(
        key="plan",
        label="Onboarding plan",
        model=OnboardingPlan,
        person_paths=("new_hire_id",),
        fields=("start_date", "buddy", "buddy_status", "buddy_note"),
        subject=lambda h: f"{h.new_hire}'s onboarding plan",
        about=lambda h: person(h.new_hire),
        select_related=("new_hire",),
    ),
    AuditKind(
        key="task",
        label="Onboarding task",
        model=PlanTask,
        person_paths=("plan__new_hire_id",),
        fields=(
            "title",
            "status",
            "due_on",
            "assignee",
            "partner",
            "done_by",
            "new_hire_done_at",
            "partner_done_at",
        ),
        subject=lambda h: f"“{h.title}” in {h.plan.new_hire}'s onboarding",
        about=lambda h: person(h.plan.new_hire),
        select_related=("plan__new_hire",),
    ),
)
