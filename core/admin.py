"""Jobs in the admin: read-only records, with the same retry as the page."""

from django.contrib import admin, messages
from django.http import Http404

from .access import is_people_team
from .errors import ApplicationError
from .jobs import job_retry
from .models import Job


class PeopleTeamOnlyAdmin:
    """Admin pages that follow the access policy: only the people team sees
    them, and anyone else (staff included) gets the same 404 as for a page
    that does not exist (Django's admin would answer 403, which tells them
    the page is there). Mixed into every people-team ModelAdmin."""

    def _only_people_team(self, request) -> None:
        if not is_people_team(request.user):
            raise Http404("No such page.")

    def changelist_view(self, request, *args, **kwargs):
        self._only_people_team(request)
        return super().changelist_view(request, *args, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        self._only_people_team(request)
        return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        self._only_people_team(request)
        return super().delete_view(request, *args, **kwargs)

    def history_view(self, request, *args, **kwargs):
        self._only_people_team(request)
        return super().history_view(request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):  # simple-history's admins only
        self._only_people_team(request)
        return super().history_form_view(request, *args, **kwargs)

    def has_module_permission(self, request):
        return is_people_team(request.user)

    def has_view_permission(self, request, obj=None):
        return is_people_team(request.user)

    def has_add_permission(self, request, *args):
        return is_people_team(request.user)

    def has_change_permission(self, request, obj=None):
        return is_people_team(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # records are kept; people leave, jobs finish


@admin.register(Job)
class JobAdmin(PeopleTeamOnlyAdmin, admin.ModelAdmin):
    list_display = ["pk", "task", "status", "attempts", "created_at", "finished_at", "last_error"]
    list_filter = ["status", "task"]
    search_fields = ["task", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed jobs", permissions=["change"])
    def retry(self, request, queryset):
        retried = 0
        for job in queryset:
            try:
                job_retry(job_id=job.pk)
                retried += 1
            except ApplicationError as error:
                messages.warning(request, error.message)
        if retried:
            messages.success(request, f"{retried} job(s) will run again.")
