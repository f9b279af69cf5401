"""Placements: who is at which level since when, with their history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from ..models import Placement
from ..services.placements import placement_record


class PlacementForm(forms.ModelForm):
    """A new placement goes through placement_record, which holds the rules; an
    existing one may be corrected (the history keeps what it was)."""

    class Meta:
        model = Placement
        fields = ["person", "level", "since"]

    def clean_level(self):
        level = self.cleaned_data["level"]
        if not level.revision.is_published:
            raise ValidationError(
                f"{level.revision} is a draft: place people on a level of a published revision."
            )
        return level

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            # Try the service and roll back, so that a refusal shows on the form
            # with what was typed; save_model then records it for real.
            try:
                with transaction.atomic():
                    placement_record(
                        person=cleaned["person"], level=cleaned["level"], since=cleaned["since"]
                    )
                    transaction.set_rollback(True)
            except ApplicationError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(Placement)
class PlacementAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
    form = PlacementForm
    list_display = ["person", "level", "revision", "since", "recorded_by"]
    list_filter = [
        ("level", admin.RelatedOnlyFieldListFilter),
        ("since", admin.DateFieldListFilter),
    ]
    search_fields = ["person__name", "person__email", "level__code", "level__name"]
    autocomplete_fields = ["person", "level"]
    list_select_related = ["person", "level__revision__ladder", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]
    date_hierarchy = "since"
    history_list_display = ["level", "since"]

    @admin.display(description="revision", ordering="level__revision")
    def revision(self, placement):
        return placement.level.revision

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        placement = placement_record(
            person=obj.person, level=obj.level, since=obj.since, recorded_by=request.user
        )
        obj.pk, obj.recorded_by, obj.recorded_at = placement.pk, request.user, placement.recorded_at
