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


# --- Buddies, tasks and pairing (who may act on what) ------------------------------
# Services ask these and raise ApplicationError; pages ask them to decide which
# buttons to show, per task: so the per-task ones read ids only (plus the
# people-team check, cached on the user), never the reporting line.


def can_change_buddy(viewer, plan: OnboardingPlan) -> bool:
    """The new hire's manager chain or the people team."""
    return access.is_people_team(viewer) or access.is_in_manager_chain(viewer, plan.new_hire)


def can_name_partner(viewer) -> bool:
    """Naming someone other than the buddy as a pairing partner: the people team."""
    return access.is_people_team(viewer)


def pairing_partner_id(task: PlanTask) -> int | None:
    """The named partner, else the plan's buddy."""
    return task.partner_id or task.plan.buddy_id


def pairing_side(viewer, task: PlanTask) -> str | None:
    """Which side of a pairing task the viewer confirms: "new_hire", "partner" or None."""
    if not viewer.is_authenticated:
        return None
    if viewer.pk == task.plan.new_hire_id:
        return "new_hire"
    if viewer.pk == pairing_partner_id(task):
        return "partner"
    return None


def can_complete_task(viewer, task: PlanTask) -> bool:
    """A plain task: its assignee, the new hire for their own tasks, the people team."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    own = viewer.pk == task.plan.new_hire_id and task.assignee_role == "new_hire"
    return viewer.pk == task.assignee_id or own or access.is_people_team(viewer)


def can_undo_task(viewer, task: PlanTask) -> bool:
    """A plain task: whoever completed it, or the people team. A pairing task
    is undone one's own confirmation at a time (see pairing_side)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return viewer.pk == task.done_by_id or access.is_people_team(viewer)


# --- Reporting ---------------------------------------------------------------------


def can_view_reports(viewer) -> bool:
    """Program figures across every plan: the people team only."""
    return access.is_people_team(viewer)


# --- Offboarding -------------------------------------------------------------------


def can_view_offboarding(viewer, leaver) -> bool:
    """A leaver's checklist: the people team and the leaver's manager chain
    (not the leaver: it holds the exit conversation and access removal)."""
    return access.is_people_team(viewer) or access.is_in_manager_chain(viewer, leaver)


def can_view_leavers(viewer) -> bool:
    """The leavers page: the people team, and managers (who see their own leavers)."""
    return access.is_people_team(viewer) or access.is_manager(viewer)


def can_tick_offboarding_task(viewer, task) -> bool:
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return viewer.pk == task.assignee_id or can_view_offboarding(viewer, task.checklist.leaver)
