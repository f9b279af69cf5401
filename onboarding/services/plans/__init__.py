"""Onboarding plans: the applicable templates composed into one snapshot per
new hire, kept as they were until the people team re-syncs a plan, plus the
people team's edits to one plan (add, remove, reassign a task).

Due dates are calendar dates in the new hire's own timezone: the start date
is the day they start where they live, and every due date counts working
days from it. Two new hires in Tokyo and Los Angeles who start on the same
date get the same due dates; "today" (due, overdue) is read in their zone.
"""

from .compose import Catalogue, applicable_templates, catalogue_load
from .create import (
    PLAN_WINDOW,
    new_hires_without_plan,
    plan_create,
    plans_create,
    plans_create_for,
    plans_create_later,
    plans_create_missing,
)
from .edit import (
    plan_assign_role,
    plan_task_add,
    plan_task_reassign,
    plan_task_remove,
    plans_follow_start_dates,
)
from .sync import Difference, PlanChange, plan_sync, plan_sync_preview

__all__ = [
    "PLAN_WINDOW",
    "Catalogue",
    "Difference",
    "PlanChange",
    "applicable_templates",
    "catalogue_load",
    "new_hires_without_plan",
    "plan_assign_role",
    "plan_create",
    "plan_sync",
    "plan_sync_preview",
    "plan_task_add",
    "plan_task_reassign",
    "plan_task_remove",
    "plans_create",
    "plans_create_for",
    "plans_create_later",
    "plans_create_missing",
    "plans_follow_start_dates",
]
