"""What the audit log shows of onboarding: plans (buddy) and their tasks.
Named in settings.AUDIT_KINDS
(config/wiring.py), read by people/audit.py."""

from people.audit import kind_about

from .models import OnboardingPlan, PlanTask

KINDS = (
    kind_about(
        "new_hire",
        key="plan",
        label="Onboarding plan",
        model=OnboardingPlan,
        fields=("start_date", "buddy", "buddy_status", "buddy_note"),
        subject=lambda h: f"{h.new_hire}'s onboarding plan",
    ),
    kind_about(
        "plan__new_hire",
        key="task",
        label="Onboarding task",
        model=PlanTask,
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
    ),
)
