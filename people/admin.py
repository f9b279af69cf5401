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

from . import access, imports
from .errors import ApplicationError
from .imports import ImportFailed, import_people, read_text
from .models import Team, User
from .services.bulk import people_deactivate_many, people_reactivate_many
from .services.invitations import invitation_send
from .services.lifecycle import (
    person_create,
    person_deactivate,
    person_reactivate,
    person_set_access,
    person_update,
)

# What person_update changes; "active" goes through deactivate and reactivate.
LIFECYCLE_FIELDS = [
    "email",
    "name",
    "title",
    "team",
    "manager",
    "start_date",
    "end_date",
    "timezone",
    "employee_id",
]


class PeopleTeamOnly(PeopleTeamOnlyAdmin, BoundedTextAdmin):
    """Admin access follows the policy in people/access.py (the 404 for anyone
    else lives in core's PeopleTeamOnlyAdmin); free text is bounded."""


class PersonAdminForm(UserChangeForm):
    """The rules (reporting loops, a last day and "active" that disagree) are
    the services'; a refusal comes back here through `refusal`, set by
    UserAdmin.changeform_view, and is shown on its field with what was typed."""

    refusal: ApplicationError | None = None

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            field = self.refusal.field if self.refusal.field in self.fields else None
            self.add_error(field, self.refusal.message)
        return cleaned


class _Refused(Exception):
    """A service said no while saving: the admin's transaction rolls back and
    the form is shown again with the reason."""

    def __init__(self, error: ApplicationError):
        super().__init__(error.message)
        self.error = error


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV, UTF-8, header: email,name,title,team,manager_email,start_date,timezone "
        "and optionally end_date,active; "
        f"at most {size_in_words(imports.MAX_FILE_BYTES)}.",
        validators=[upload_size_validator(imports.MAX_FILE_BYTES)],
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Check the file and show what would change, leavers first.",
    )
    missing_are_leavers = forms.BooleanField(
        required=False,
        label="People missing from the file are leavers",
        help_text="The file is a full export: active people not in it leave today "
        "(never you, nor superusers).",
    )
    confirm_leavers = forms.IntegerField(
        required=False,
        min_value=0,
        label="Confirm leavers",
        help_text="Needed only when more than 10% of active people would leave: "
        "the number of leavers the dry run listed.",
    )


@admin.register(User)
class UserAdmin(PeopleTeamOnly, SimpleHistoryAdmin, BaseUserAdmin):
    form = PersonAdminForm
    ordering = ["name"]
    list_display = ["name", "email", "title", "team", "manager", "start_date", "end_date"]
    list_display += ["is_active"]
    list_filter = [
        "is_active",
        "is_staff",
        "team",
        "groups",
        ("start_date", admin.DateFieldListFilter),
        ("end_date", admin.DateFieldListFilter),
    ]
    search_fields = ["name", "email", "title", "team__name", "employee_id"]
    autocomplete_fields = ["team", "manager"]
    list_select_related = ["team", "manager"]
    readonly_fields = ["last_login", "date_joined", "invited_at"]
    actions = ["send_invitations", "deactivate_people", "reactivate_people"]
    history_list_display = ["manager", "team", "title"]
    change_list_template = "admin/people/user/change_list.html"
    fieldsets = [
        (None, {"fields": ["email", "name", "title", "team", "manager", "employee_id"]}),
        ("Dates", {"fields": ["start_date", "end_date", "timezone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "password"]}),
        ("Sign-in", {"fields": ["invited_at", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "name", "title", "team", "manager", "employee_id"]}),
        ("Dates", {"fields": ["start_date", "end_date", "timezone"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PersonAdminForm
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "_person_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The services decide while saving, after the form was valid. If one
        # refuses, the whole save has rolled back (the view is one
        # transaction); the form is then validated again with the reason on
        # its field, so the page keeps what was typed, as for any form error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            request._person_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Every change to a person goes through people/services/, so adding
        someone here starts onboarding, a last day is announced, and unticking
        "active" is a leaving like any other (people/hooks.py)."""
        try:
            person = _person_change(obj, form) if change else _person_add(form)
        except ApplicationError as error:
            raise _Refused(error) from error
        for model_field in User._meta.concrete_fields:  # the admin goes on with obj
            setattr(obj, model_field.attname, getattr(person, model_field.attname))
        obj._state.adding = False

    @admin.action(description="Deactivate: they leave today")
    def deactivate_people(self, request, queryset):
        people = [p for p in queryset if p.pk != request.user.pk]
        if len(people) < len(queryset):
            messages.warning(request, "You cannot deactivate yourself; you were left out.")
        left = people_deactivate_many([p for p in people if p.is_active])
        already = sum(1 for p in people if p not in left)
        messages.success(
            request,
            f"{len(left)} people left today: they can no longer sign in, and what they "
            f"held is being handed over. {already} had already left.",
        )

    @admin.action(description="Reactivate: they can sign in again")
    def reactivate_people(self, request, queryset):
        returned = people_reactivate_many(list(queryset))
        messages.success(
            request,
            f"{len(returned)} people can sign in again; what was handed over when they "
            f"left stays handed over. {queryset.count() - len(returned)} were already active.",
        )

    @admin.action(description="Send an invitation to sign in")
    def send_invitations(self, request, queryset):
        sent, refused = 0, []
        for person in queryset:
            try:
                invitation_send(person=person)
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
        data = form.cleaned_data
        try:
            report = import_people(
                read_text(data["file"].read()),
                dry_run=data["dry_run"],
                actor=request.user,
                missing_are_leavers=data["missing_are_leavers"],
                confirm_leavers=data["confirm_leavers"],
            )
        except ImportFailed as failed:
            return {"problems": [str(p) for p in failed.report.problems]}
        if data["dry_run"]:
            return {"report": report}
        messages.success(request, "Imported. " + report.summary())
        if report.leavers:
            names = ", ".join(f"{leaver.name} <{leaver.email}>" for leaver in report.leavers)
            messages.info(request, f"{len(report.leavers)} people left: {names}."[:2000])
        return {"done": True}


def _person_add(form) -> User:
    data = form.cleaned_data
    return person_create(
        email=data["email"],
        name=data["name"],
        title=data.get("title") or "",
        team=data.get("team"),
        manager=data.get("manager"),
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        timezone_name=data.get("timezone") or "UTC",
        employee_id=data.get("employee_id"),
    )


def _person_change(obj: User, form) -> User:
    """The form has already copied what was typed onto obj; the services
    compare with what is stored, so they get the person as stored."""
    person = User.objects.select_for_update().get(pk=obj.pk)
    data, changed = form.cleaned_data, set(form.changed_data)
    returning = "is_active" in changed and data["is_active"]
    leaving = "is_active" in changed and not data["is_active"]
    if returning:
        person_reactivate(person=person)  # clears the last day, unless a new one is given
    updates = {field: data[field] for field in LIFECYCLE_FIELDS if field in changed}
    if "timezone" in updates:
        updates["timezone_name"] = updates.pop("timezone")
    if leaving:  # first: a last day still to come is refused before anything is written
        person_deactivate(person=person, end_date=updates.pop("end_date", None))
    person_update(person=person, **updates)
    if {"is_staff", "is_superuser"} & changed:
        person_set_access(
            person=person, is_staff=data["is_staff"], is_superuser=data["is_superuser"]
        )
    return person


@admin.register(Team)
class TeamAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
