"""Checklist templates and their items (onboarding and offboarding)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from ladders.models import Track
from people import access
from people.admin import PeopleTeamOnly

from ..models import (
    ChecklistTemplate,
    Purpose,
    TemplateItem,
)
from .common import SMALL_TEXT, PeopleTeamRows

# --- Templates --------------------------------------------------------------------------


class ChecklistTemplateForm(forms.ModelForm):
    # Left out (a form from before offboarding existed), a template is for onboarding.
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        initial=Purpose.ONBOARDING,
        required=False,
        help_text="Offboarding items count their due dates back from the last day.",
    )
    track = forms.ChoiceField(
        choices=[("", "---------"), *Track.choices],
        required=False,
        help_text="For 'a track': the ladder track of the new hire's level.",
    )

    class Meta:
        model = ChecklistTemplate
        fields = [
            "name",
            "description",
            "purpose",
            "is_active",
            "position",
            "applies_to",
            "team",
            "level_code",
            "track",
            "digest_hour",
            "escalate_after",
        ]

    def clean_purpose(self):
        return self.cleaned_data.get("purpose") or Purpose.ONBOARDING

    # The field each rule needs, and what to say when it is missing.
    RULE_FIELDS = {
        ChecklistTemplate.AppliesTo.TEAM: ("team", "Choose the team this template is for."),
        ChecklistTemplate.AppliesTo.LEVEL: ("level_code", "Give the level code, e.g. L3."),
        ChecklistTemplate.AppliesTo.TRACK: ("track", "Choose the track this template is for."),
    }

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("applies_to")
        needed, message = self.RULE_FIELDS.get(rule, (None, ""))
        if needed and not cleaned.get(needed):
            self.add_error(needed, message)
        # Fields of other rules would only confuse whoever reads the template later.
        for field, _ in self.RULE_FIELDS.values():
            if field != needed and field in cleaned:
                cleaned[field] = None if field == "team" else ""
        return cleaned


class TemplateItemInline(PeopleTeamRows, admin.TabularInline):
    model = TemplateItem
    fields = [
        "position",
        "title",
        "kind",
        "assignee_role",
        "due_offset",
        "competency_code",
        "description",
    ]
    ordering = ["due_offset", "position"]
    formfield_overrides = SMALL_TEXT
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    form = ChecklistTemplateForm
    inlines = [TemplateItemInline]
    list_display = [
        "name",
        "purpose",
        "applies_to",
        "rule",
        "item_count",
        "is_active",
        "position",
    ]
    list_filter = [
        "purpose",
        "applies_to",
        "is_active",
        ("team", admin.RelatedOnlyFieldListFilter),
        "track",
        "level_code",
    ]
    search_fields = ["name", "description", "items__title"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    fieldsets = [
        (None, {"fields": ["name", "description", "purpose", "is_active", "position"]}),
        (
            "Who it applies to",
            {
                "fields": ["applies_to", "team", "level_code", "track"],
                "description": "A team's template also applies to the members of its "
                "sub-teams. A new hire's plan is made of every active onboarding template "
                "that applies to them, in the order of their position; a leaver's "
                "checklist of every active offboarding one.",
            },
        ),
        (
            "Reminders",
            {
                "fields": ["digest_hour", "escalate_after"],
                "description": "For this template's tasks. Empty: the site's defaults "
                f"(digest from {settings.ONBOARDING_DIGEST_HOUR}:00 local time, the manager "
                f"told after {settings.ONBOARDING_ESCALATE_AFTER} working days overdue).",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def has_delete_permission(self, request, obj=None):
        # Plans keep their tasks: deleting a template changes no running plan.
        return access.can_manage_people(request.user)

    @admin.display(description="rule")
    def rule(self, template):
        track = dict(Track.choices).get(template.track, template.track)
        return template.team or template.level_code or track or "—"

    @admin.display(description="items", ordering="item_count")
    def item_count(self, template):
        return template.item_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            messages.info(
                request,
                "Running plans keep their tasks as they were. To apply this change to a "
                "plan, open the plan and choose “Re-sync with templates”.",
            )
