"""Who may see what in onboarding (DESIGN.md): the new hire sees their plan;
their manager chain and the people team see it; a buddy (or another
assignee) sees the tasks assigned to them; nobody else."""

from people import access

from .models import OnboardingPlan, PlanTask


def can_view_plan(viewer, plan: OnboardingPlan) -> bool:
    return access.can_view_private(viewer, plan.new_hire)


def can_view_task(viewer, task: PlanTask) -> bool:
    return viewer.pk in (task.assignee_id, task.partner_id) or can_view_plan(viewer, task.plan)


def can_manage_plans(viewer) -> bool:
    return access.is_people_team(viewer)
