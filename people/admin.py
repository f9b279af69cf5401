"""The people team's admin: people and teams with search, filters,
autocomplete, history, invitations and the CSV import."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.shortcuts import redirect, render
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PeopleTeamOnlyAdmin
from core.limits import BoundedTextAdmin, size_in_words, upload_size_validator

from . import access, hooks, imports
from .errors import ApplicationError
from .imports import ImportFailed, import_people, read_text
from .models import Team, User
from .services import invitation_send, reporting_loop_error


class PeopleTeamOnly(PeopleTeamOnlyAdmin, BoundedTextAdmin):
    """Admin access follows the policy in people/access.py (the 404 for anyone
    else lives in core's PeopleTeamOnlyAdmin); free text is bounded."""


class PersonAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        error = reporting_loop_error(person=self.instance, manager=cleaned.get("manager"))
        if error:
            self.add_error("manager", error)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV, UTF-8, header: email,name,title,team,manager_email,start_date,timezone; "
        f"at most {size_in_words(imports.MAX_FILE_BYTES)}.",
        validators=[upload_size_validator(imports.MAX_FILE_BYTES)],
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, help_text="Check the file and show what would change."
    )


@admin.register(User)
class UserAdmin(PeopleTeamOnly, SimpleHistoryAdmin, BaseUserAdmin):
    form = PersonAdminForm
    ordering = ["name"]
    list_display = ["name", "email", "title", "team", "manager", "start_date", "is_active"]
    list_filter = [
        "is_active",
        "is_staff",
        "team",
        "groups",
        ("start_date", admin.DateFieldListFilter),
    ]
    search_fields = ["name", "email", "title", "team__name"]
    autocomplete_fields = ["team", "manager"]
    list_select_related = ["team", "manager"]
    readonly_fields = ["last_login", "date_joined", "invited_at"]
    actions = ["send_invitations"]
    history_list_display = ["manager", "team", "title"]
    change_list_template = "admin/people/user/change_list.html"
    fieldsets = [
        (None, {"fields": ["email", "name", "title", "team", "manager", "start_date", "timezone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "password"]}),
        ("Dates", {"fields": ["invited_at", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "name", "title", "team", "manager", "start_date", "timezone"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PersonAdminForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not change:
            hooks.people_added([obj.pk])

    @admin.action(description="Send an invitation to sign in")
    def send_invitations(self, request, queryset):
        sent, refused = 0, []
        for person in queryset:
            try:
                invitation_send(person=person, invited_by=request.user)
                sent += 1
            except ApplicationError as error:
                refused.append(error.message)
        if sent:
            messages.success(request, f"{sent} invitation(s) will be emailed in a moment.")
        for reason in refused:
            messages.warning(request, reason)

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="people_user_import")
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not access.can_manage_people(request.user):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import people from CSV",
            "opts": self.model._meta,
        }
        if request.method == "POST" and form.is_valid():
            context.update(self._run_import(request, form))
            if context.get("done"):
                return redirect(reverse("admin:people_user_changelist"))
        return render(request, "admin/people/user/import.html", context)

    def _run_import(self, request, form) -> dict:
        raw = form.cleaned_data["file"].read()
        dry_run = form.cleaned_data["dry_run"]
        try:
            report = import_people(read_text(raw), dry_run=dry_run, actor=request.user)
        except ImportFailed as failed:
            return {"problems": [str(p) for p in failed.report.problems]}
        if dry_run:
            return {"report": report}
        messages.success(request, "Imported. " + report.summary())
        return {"done": True}


@admin.register(Team)
class TeamAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
