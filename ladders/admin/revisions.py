"""Ladders and their revisions: the list of a ladder's revisions, publishing,
new drafts, the file import (with a dry run) and the export downloads."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.limits import size_in_words, upload_size_validator
from people import access
from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from .. import exchange
from ..exchange import LadderData, LadderFileError, check, dump, read_file
from ..models import Competency, Expectation, Ladder, Level, Revision
from ..services.exchange_io import revision_to_dict
from ..services.revisions import ladder_import, revision_publish, revision_start_draft
from .common import DraftInline, EditableWhileDraft

CHANGES_SHOWN = 25  # a message is not the place for 800 lines; the revision page has them all
EXPORT_FORMATS = {"yaml": "application/yaml", "json": "application/json"}


class LadderImportForm(forms.Form):
    file = forms.FileField(
        help_text="YAML (.yml, .yaml) or JSON (.json), UTF-8, as in docs/ladder-format.md; "
        f"at most {size_in_words(exchange.MAX_FILE_BYTES)}.",
        validators=[upload_size_validator(exchange.MAX_FILE_BYTES)],
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Check the file and show what it holds; write nothing.",
    )
    publish = forms.BooleanField(
        required=False,
        help_text="Publish the imported draft as a new revision straight away. "
        "Otherwise it replaces the ladder's draft, for review.",
    )


class LevelInline(DraftInline, admin.TabularInline):
    model = Level
    fields = ["position", "code", "name", "track", "summary"]
    ordering = ["position"]
    show_change_link = True  # the level's page holds its expectations


class CompetencyInline(DraftInline, admin.TabularInline):
    model = Competency
    fields = ["position", "code", "name", "theme", "description"]
    ordering = ["position"]
    show_change_link = True


class RevisionInline(admin.TabularInline):
    """The ladder's revisions, newest first, with links; changed through their own pages."""

    model = Revision
    fields = readonly_fields = ("number", "status", "published_at", "published_by", "export_links")
    ordering = ["-number"]
    show_change_link = True
    extra = 0

    def has_view_permission(self, request, obj=None):
        return access.can_manage_people(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="download")
    def export_links(self, revision):
        return export_links(revision)


def export_links(revision: Revision):
    return format_html_join(
        " · ",
        '<a href="{}" download>{}</a>',
        (
            (reverse("admin:ladders_revision_export", args=[revision.pk, fmt]), fmt.upper())
            for fmt in EXPORT_FORMATS
        ),
    )


# --- Ladders --------------------------------------------------------------------------


@admin.register(Ladder)
class LadderAdmin(PeopleTeamOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "published_number", "draft_number"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RevisionInline]
    actions = ["start_drafts"]
    change_list_template = "admin/ladders/ladder/change_list.html"
    change_form_template = "admin/ladders/ladder/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                published_number=Max(
                    "revisions__number", filter=Q(revisions__status=Revision.Status.PUBLISHED)
                ),
                draft_number=Max("revisions__number", filter=Q(revisions__status="draft")),
            )
        )

    @admin.display(description="published revision", ordering="published_number")
    def published_number(self, ladder):
        return ladder.published_number  # None shows as the admin's empty value

    @admin.display(description="draft", ordering="draft_number")
    def draft_number(self, ladder):
        return ladder.draft_number

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="ladders_ladder_import"),
            path(
                "<path:object_id>/start-draft/",
                view(self.start_draft_view),
                name="ladders_ladder_start_draft",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["ladder_draft"] = obj.revisions.filter(status=Revision.Status.DRAFT).first()
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.action(description="Start a new draft (copy of the latest published revision)")
    def start_drafts(self, request, queryset):
        for ladder in queryset:
            start_draft(request, ladder)

    def start_draft_view(self, request, object_id):
        ladder = self.get_object(request, object_id)
        if ladder is None or not access.can_manage_people(request.user):
            raise access.not_found()
        if request.method != "POST":
            return redirect("admin:ladders_ladder_change", ladder.pk)
        draft = start_draft(request, ladder)
        return (
            redirect("admin:ladders_revision_change", draft.pk)
            if draft
            else redirect("admin:ladders_ladder_change", ladder.pk)
        )

    def import_view(self, request):
        if not access.can_manage_people(request.user):
            raise access.not_found()
        form = LadderImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a ladder from YAML or JSON",
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            outcome = self._import(request, form.cleaned_data)
            if isinstance(outcome, HttpResponse):
                return outcome
            context.update(outcome)
        return TemplateResponse(request, "admin/ladders/ladder/import.html", context)

    def _import(self, request, cleaned: dict):
        upload = cleaned["file"]
        context = {"filename": upload.name}
        try:
            data = check(read_file(upload.read(), filename=upload.name))
        except LadderFileError as error:
            return {**context, "problems": error.problems}
        if cleaned["dry_run"]:
            return {**context, "preview": import_preview(data, publish=cleaned["publish"])}
        try:
            revision = ladder_import(data=data, actor=request.user, publish=cleaned["publish"])
        except ApplicationError as error:
            return {**context, "problems": [error.message]}
        if revision.is_published:
            messages.success(request, changes_message(revision))
        else:
            messages.success(
                request,
                f"Imported {upload.name} into {revision}: review it, then publish it.",
            )
        return redirect("admin:ladders_revision_change", revision.pk)


def import_preview(data: LadderData, *, publish: bool) -> dict:
    """What an import would do, in words, without writing."""
    ladder = Ladder.objects.filter(slug=data.slug).first()
    if ladder is None:
        target = f"Creates the ladder {data.name} ({data.slug}) with revision 1"
    else:
        draft = ladder.revisions.filter(status=Revision.Status.DRAFT).first()
        if draft:
            target = f"Replaces the content of {draft}"
        else:
            number = (ladder.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            target = (
                f"Creates draft revision {number} of {ladder}; published revisions stay as they are"
            )
    then = ", then publishes it." if publish else "."
    return {
        "target": target + then,
        "levels": data.levels,
        "competencies": len(data.competencies),
        "themes": sorted({c["theme"] for c in data.competencies}),
        "expectations": len(data.expectations),
        "cells": len(data.levels) * len(data.competencies),
    }


def start_draft(request, ladder: Ladder) -> Revision | None:
    try:
        draft = revision_start_draft(ladder=ladder, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, f"Started {draft}: edit it, then publish it.")
    return draft


def changes_message(revision: Revision):
    shown, more = revision.changes[:CHANGES_SHOWN], len(revision.changes) - CHANGES_SHOWN
    tail = f" and {more} more, listed on the revision's page." if more > 0 else ""
    return format_html(
        "Published {}. What changed:<ul>{}</ul>{}",
        revision,
        format_html_join("", "<li>{}</li>", ((change,) for change in shown)),
        tail,
    )


# --- Revisions --------------------------------------------------------------------------


@admin.register(Revision)
class RevisionAdmin(EditableWhileDraft, admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "published_at",
        "published_by",
        "level_count",
        "competency_count",
        "export_links",
    ]
    list_filter = ["status", "ladder"]
    search_fields = ["ladder__name", "ladder__slug"]
    list_select_related = ["ladder", "published_by"]
    fields = readonly_fields = (
        "ladder",
        "number",
        "status",
        "published_at",
        "published_by",
        "expectations_link",
        "changes_list",
    )
    inlines = [LevelInline, CompetencyInline]
    actions = ["publish"]
    change_form_template = "admin/ladders/revision/change_form.html"

    def has_add_permission(self, request):
        return False  # drafts start from a ladder ("Start a new draft") or an import

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                level_count=Count("levels", distinct=True),
                competency_count=Count("competencies", distinct=True),
            )
        )

    @admin.display(description="levels", ordering="level_count")
    def level_count(self, revision):
        return revision.level_count

    @admin.display(description="competencies", ordering="competency_count")
    def competency_count(self, revision):
        return revision.competency_count

    @admin.display(description="download")
    def export_links(self, revision):
        return export_links(revision)

    @admin.display(description="expectations")
    def expectations_link(self, revision):
        count = Expectation.objects.filter(level__revision=revision).count()
        url = reverse("admin:ladders_expectation_changelist")
        verb = "Read" if revision.is_published else "Edit"
        return format_html(
            '<a href="{}?level__revision__id__exact={}">{} the {} expectations</a>',
            url,
            revision.pk,
            verb,
            count,
        )

    @admin.display(description="what changed")
    def changes_list(self, revision):
        if not revision.changes:
            return "Not published yet."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c,) for c in revision.changes))
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                view(self.publish_view),
                name="ladders_revision_publish",
            ),
            path(
                "<path:object_id>/export/<str:fmt>/",
                view(self.export_view),
                name="ladders_revision_export",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Publish the selected drafts")
    def publish(self, request, queryset):
        for revision in queryset.select_related("ladder"):
            publish(request, revision)

    def publish_view(self, request, object_id):
        revision = self.get_object(request, object_id)
        if revision is None or not access.can_manage_people(request.user):
            raise access.not_found()
        if request.method == "POST":
            publish(request, revision)
        return redirect("admin:ladders_revision_change", revision.pk)

    def export_view(self, request, object_id, fmt):
        revision = self.get_object(request, object_id)
        if revision is None or fmt not in EXPORT_FORMATS:
            raise access.not_found()
        if not self.has_view_permission(request, revision):
            raise access.not_found()
        text = dump(revision_to_dict(revision), as_json=fmt == "json")
        response = HttpResponse(text, content_type=f"{EXPORT_FORMATS[fmt]}; charset=utf-8")
        filename = f"{revision.ladder.slug}-r{revision.number}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["ladder_has_draft"] = obj.ladder.revisions.filter(
                status=Revision.Status.DRAFT
            ).exists()
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


def publish(request, revision: Revision) -> None:
    try:
        revision = revision_publish(revision=revision, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return
    messages.success(request, changes_message(revision))
