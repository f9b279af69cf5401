"""What the onboarding admin modules share."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models

from core.limits import BoundedTextAdmin
from people import access

SMALL_TEXT: "Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]" = {
    models.CharField: {"widget": forms.TextInput(attrs={"size": 24})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})},
}

MISSING_SHOWN = 50


class PeopleTeamRows(BoundedTextAdmin):
    """Inline rows follow the same policy as the pages around them; free text is bounded."""

    def has_view_permission(self, request, obj=None):
        return access.can_manage_people(request.user)

    def has_add_permission(self, request, obj=None):
        return access.can_manage_people(request.user)

    def has_change_permission(self, request, obj=None):
        return access.can_manage_people(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.can_manage_people(request.user)
