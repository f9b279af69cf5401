"""Onboarding plans: their tasks, buddy, syncing with templates, and new
hires who have no plan yet."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from people import access
from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from ..models import (
    OnboardingPlan,
    PlanTask,
)
from ..services.plans import (
    new_hires_without_plan,
    plan_sync,
    plan_sync_preview,
    plan_task_add,
    plan_task_reassign,
    plan_task_remove,
    plans_create_missing,
)
from .common import MISSING_SHOWN, SMALL_TEXT, PeopleTeamRows

# --- Plans ---------------------------------------------------------------------------------


class PlanTaskFormSet(BaseInlineFormSet):
    """Completed tasks stay as they were: refuse to remove or reassign them."""

    def clean(self):
        super().clean()
        for row in self.forms:
            task = row.instance
            if task.pk is None or task.status == PlanTask.Status.OPEN:
                continue
            if self._should_delete_form(row) or "assignee" in row.changed_data:
                raise ValidationError(
                    f"“{task.title}” is done; completed tasks stay as they were, "
                    "so it cannot be removed or reassigned."
                )


class PlanTaskInline(PeopleTeamRows, admin.TabularInline):
    """The plan's tasks: reassign one, or tick "delete" to remove it."""

    model = PlanTask
    formset = PlanTaskFormSet
    fields = ["title", "kind", "assignee_role", "assignee", "due_on", "status"]
    readonly_fields = ["title", "kind", "assignee_role", "due_on", "status"]
    autocomplete_fields = ["assignee"]
    ordering = ["due_on", "position", "id"]
    verbose_name_plural = "tasks: reassign one, or tick “delete” to remove it"
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    def has_add_permission(self, request, obj=None):
        return False  # new tasks are added with the inline below


class NewPlanTaskInline(PeopleTeamRows, admin.TabularInline):
    """Tasks for this plan only; a re-sync with the templates keeps them."""

    model = PlanTask
    fields = ["title", "kind", "assignee_role", "assignee", "due_on", "description"]
    autocomplete_fields = ["assignee"]
    formfield_overrides = SMALL_TEXT
    verbose_name = "new task"
    verbose_name_plural = "add tasks to this plan (no assignee: the role decides)"
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OnboardingPlan)
class OnboardingPlanAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    inlines = [PlanTaskInline, NewPlanTaskInline]
    list_display = [
        "new_hire",
        "start_date",
        "buddy",
        "buddy_status",
        "open_tasks",
        "done_tasks",
        "synced_at",
    ]
    list_filter = [("start_date", admin.DateFieldListFilter), "buddy_status", "status"]
    search_fields = ["new_hire__name", "new_hire__email"]
    list_select_related = ["new_hire", "buddy"]
    date_hierarchy = "start_date"
    actions = ["resync_with_templates"]
    # The plan itself is a snapshot: its tasks change through the inlines,
    # its buddy through the buddy pages; nothing here is typed over.
    fields = [
        "new_hire",
        "start_date",
        "timezone",
        "buddy",
        "buddy_status",
        "buddy_note",
        "templates",
        "created_at",
        "synced_at",
        "first_pairing_done_at",
    ]
    readonly_fields = fields
    history_list_display = ["buddy", "buddy_status", "synced_at"]

    def get_queryset(self, request):
        open_ = Q(tasks__status=PlanTask.Status.OPEN)
        done = Q(tasks__status=PlanTask.Status.DONE)
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_tasks=Count("tasks", filter=open_), done_tasks=Count("tasks", filter=done)
            )
        )

    @admin.display(description="to do", ordering="open_tasks")
    def open_tasks(self, plan):
        return plan.open_tasks

    @admin.display(description="done", ordering="done_tasks")
    def done_tasks(self, plan):
        return plan.done_tasks

    def has_add_permission(self, request):
        return False  # plans are made when people are added (and by "create missing")

    def save_model(self, request, obj, form, change):
        pass  # nothing on the plan itself is editable here; see save_formset

    def save_formset(self, request, form, formset, change):
        if formset.model is not PlanTask:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            self._save_tasks(request, form.instance, formset)
        except ApplicationError as error:
            messages.error(request, error.message)

    def _save_tasks(self, request, plan, formset) -> None:
        """Each row through its service, and recorded for the admin's log."""
        deleted = getattr(formset, "deleted_forms", [])
        for row in deleted:
            plan_task_remove(task=row.instance, by=request.user)
            formset.deleted_objects.append(row.instance)
        for row in formset.forms:
            if row in deleted or not row.has_changed():
                continue
            data = row.cleaned_data
            if row.instance.pk is None:
                fields = ["title", "kind", "assignee_role", "assignee", "due_on", "description"]
                task = plan_task_add(plan=plan, by=request.user, **{f: data[f] for f in fields})
                formset.new_objects.append(task)
            elif "assignee" in row.changed_data:
                task = plan_task_reassign(
                    task=row.instance, assignee=data["assignee"], by=request.user
                )
                formset.changed_objects.append((task, ["assignee"]))

    # --- Re-sync: first show what would change, then apply on confirmation.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/resync/",
                view(self.resync_view),
                name="onboarding_onboardingplan_resync",
            ),
            path(
                "create-missing/",
                view(self.create_missing_view),
                name="onboarding_onboardingplan_create_missing",
            ),
            *super().get_urls(),
        ]

    def resync_view(self, request, object_id):
        plan = self.get_object(request, object_id)
        if plan is None or not access.can_manage_people(request.user):
            raise access.not_found()
        if request.method == "POST":
            self._apply_resync(request, [plan])
            return redirect("admin:onboarding_onboardingplan_change", plan.pk)
        return self._resync_page(request, [plan], title=f"Re-sync the plan of {plan.new_hire}")

    @admin.action(description="Re-sync with templates (shows what would change first)")
    def resync_with_templates(self, request, queryset):
        plans = list(queryset.select_related("new_hire").order_by("start_date", "pk"))
        if request.POST.get("confirm") == "yes":
            self._apply_resync(request, plans)
            return None  # back to the list, with the message
        return self._resync_page(
            request, plans, title="Re-sync the selected plans with the templates", action=True
        )

    def _resync_page(self, request, plans, *, title: str, action: bool = False):
        previews = [(plan, plan_sync_preview(plan=plan)) for plan in plans]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "previews": previews,
            "change_count": sum(len(changes) for _, changes in previews),
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/onboarding/onboardingplan/resync.html", context)

    def _apply_resync(self, request, plans) -> None:
        applied = {plan: plan_sync(plan=plan, by=request.user) for plan in plans}
        changed = {plan: changes for plan, changes in applied.items() if changes}
        if not changed:
            messages.info(request, "Nothing to change: the plans already match the templates.")
            return
        for plan, changes in changed.items():
            self.log_change(request, plan, f"Re-synced with the templates: {len(changes)} changes")
        total = sum(len(changes) for changes in changed.values())
        messages.success(
            request, f"Re-synced {len(changed)} plan(s) with the templates: {total} change(s)."
        )

    # --- New hires who have no plan yet (the daily sweep, now).

    def create_missing_view(self, request):
        if not access.can_manage_people(request.user):
            raise access.not_found()
        today = timezone.localdate()
        if request.method == "POST":
            created = plans_create_missing(today=today, by=request.user)
            messages.success(request, f"Created {len(created)} plan(s).")
            return redirect(reverse("admin:onboarding_onboardingplan_changelist"))
        missing = new_hires_without_plan(today=today).select_related("team")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "New hires without a plan",
            "missing": missing[:MISSING_SHOWN],
            "missing_count": missing.count(),
            "shown": MISSING_SHOWN,
        }
        return TemplateResponse(
            request, "admin/onboarding/onboardingplan/create_missing.html", context
        )
