"""Onboarding URLs: every page of the app, by the views module that serves it."""

from django.urls import path

from .views import checklist, offboarding, reporting

app_name = "onboarding"

urlpatterns = [
    # Checklists, tasks and the manager's new hires (views/checklist.py)
    path("", checklist.my_checklist, name="my_checklist"),
    path("plans/<int:plan_id>/", checklist.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/buddy/", checklist.buddy_change, name="buddy_change"),
    path("tasks/", checklist.my_tasks, name="my_tasks"),
    path("tasks/<int:task_id>/done/", checklist.task_complete, name="task_complete"),
    path("tasks/<int:task_id>/undo/", checklist.task_undo, name="task_undo"),
    path("tasks/<int:task_id>/confirm/", checklist.pairing_confirm, name="pairing_confirm"),
    path("tasks/<int:task_id>/partner/", checklist.pairing_partner_set, name="pairing_partner_set"),
    path("team/", checklist.team_progress, name="team_progress"),
    # The people team's report (views/reporting.py)
    path("reports/", reporting.reports, name="reports"),
    path("reports/export.csv", reporting.reports_csv, name="reports_csv"),
    # Leavers and their offboarding checklists (views/offboarding.py)
    path("leavers/", offboarding.leavers, name="leavers"),
    path("leavers/<int:checklist_id>/", offboarding.checklist_detail, name="offboarding_detail"),
    path("leavers/tasks/<int:task_id>/", offboarding.task_mark, name="offboarding_task_mark"),
]
