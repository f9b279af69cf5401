"""What the ladder admin pages share: people team only, and ladder content
editable in a draft, read-only once its revision is published."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models

from core.limits import BoundedTextAdmin
from people import access
from people.admin import PeopleTeamOnly

from .. import policies
from ..models import Expectation, Revision

# Which revisions an autocomplete offers: expectations are written in a draft,
# people are placed on published levels. Other fields see every revision.
AUTOCOMPLETE_STATUS = {
    ("expectation", "level"): Revision.Status.DRAFT,
    ("expectation", "competency"): Revision.Status.DRAFT,
    ("placement", "level"): Revision.Status.PUBLISHED,
}


def revision_of(obj) -> Revision | None:
    if obj is None or isinstance(obj, Revision):
        return obj
    if isinstance(obj, Expectation):
        return obj.level.revision
    return obj.revision


def autocomplete_choices(request, queryset):
    if getattr(request.resolver_match, "url_name", None) != "autocomplete":
        return queryset
    status = AUTOCOMPLETE_STATUS.get((request.GET.get("model_name"), request.GET.get("field_name")))
    return queryset.filter(revision__status=status) if status else queryset


class EditableWhileDraft(PeopleTeamOnly):
    """The people team edits a draft; a published revision and its content are
    shown read-only (and a POST to change them is refused)."""

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_revision(request.user, revision_of(obj))

    def has_delete_permission(self, request, obj=None):
        return policies.can_edit_revision(request.user, revision_of(obj))


class DraftInline(BoundedTextAdmin):
    """Inline rows of a draft are editable; those of a published revision are not.
    `obj` is the parent (a revision, level or competency). Free text is bounded."""

    extra = 0
    formfield_overrides: "Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]" = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 14})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 32})},
    }

    def has_view_permission(self, request, obj=None):
        return access.can_manage_people(request.user)

    def has_add_permission(self, request, obj=None):
        return policies.can_edit_revision(request.user, revision_of(obj))

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_revision(request.user, revision_of(obj))

    def has_delete_permission(self, request, obj=None):
        return policies.can_edit_revision(request.user, revision_of(obj))
