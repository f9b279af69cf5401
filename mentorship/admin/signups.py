"""Sign-ups and their preferences in the admin."""

from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from people.admin import PeopleTeamOnly

from .. import policies
from ..models import Preference, Role, SignUp
from ..services.signups import signup_withdraw_for

# --- sign-ups ---------------------------------------------------------------------------


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["rank", "mentor"]

    def clean_mentor(self):
        mentor = self.cleaned_data["mentor"]
        mentee = self.instance.mentee if self.instance.mentee_id else None
        elsewhere = mentee is not None and mentor.cycle_id != mentee.cycle_id
        if mentor.role != Role.MENTOR or mentor.status != SignUp.Status.ACTIVE or elsewhere:
            raise forms.ValidationError(
                f"{mentor.person} is not an active mentor of this cycle: choose someone else."
            )
        return mentor


class PreferenceInline(admin.TabularInline):
    model = Preference
    form = PreferenceForm
    fk_name = "mentee"
    fields = ["rank", "mentor"]
    autocomplete_fields = ["mentor"]
    ordering = ["rank"]
    extra = 0

    def has_view_permission(self, request, obj=None):
        return policies.can_run_cycles(request.user)

    def has_add_permission(self, request, obj=None):
        return policies.can_run_cycles(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_run_cycles(request.user)

    def has_delete_permission(self, request, obj=None):
        return policies.can_run_cycles(request.user)


@admin.register(SignUp)
class SignUpAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    list_display = ["person", "cycle", "role", "status", "capacity", "team", "updated_at"]
    list_filter = ["cycle", "role", "status"]
    search_fields = ["person__name", "person__email", "project_title", "goals"]
    autocomplete_fields = ["person", "competencies"]
    list_select_related = ["person__team", "cycle"]
    # Status changes through the action, which also drops the preferences naming
    # a withdrawn mentor under the same lock as a mentee's choice.
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [PreferenceInline]
    actions = ["withdraw"]
    fieldsets = [
        (None, {"fields": ["cycle", "person", "role", "status", "competencies"]}),
        ("Mentee", {"fields": ["goals"]}),
        (
            "Mentor",
            {"fields": ["capacity", "project_title", "project_outcome", "hours_per_week"]},
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.action(description="Withdraw the selected sign-ups")
    def withdraw(self, request, queryset):
        for signup in queryset:
            signup_withdraw_for(signup=signup)
        messages.success(request, f"Withdrew {queryset.count()} sign-up(s).")

    @admin.display(description="team", ordering="person__team__name")
    def team(self, signup):
        return signup.person.team or "—"
