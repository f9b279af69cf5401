"""Rotation cycles in the admin: dates, rules, the moves from sign-up to
close, and the review page's URLs (the page itself is review.py)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ladders.models import Level
from ladders.selectors.standing import latest_published
from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from ..models import RotationCycle, SignUp
from ..services.cycles import cycle_close, cycle_open_signups, cycle_publish
from ..services.kickoff_changes import kickoff_invitations_refresh_later
from ..services.matching_run import cycle_close_and_match, cycle_rerun
from ..services.signups import MAX_CAPACITY
from .review import ReviewPage
from .review_listing import (
    pairing_search_view,
    signup_search_view,
)

# --- cycles ----------------------------------------------------------------------------


class RotationCycleForm(forms.ModelForm):
    class Meta:
        model = RotationCycle
        fields = [
            "name",
            "theme",
            "description",
            "signup_opens_on",
            "signup_closes_on",
            "starts_on",
            "ends_on",
            "ladder",
            "mentor_min_level",
            "mentee_min_level",
            "mentee_max_level",
            "min_level_gap",
            "default_mentor_capacity",
            "require_cross_team",
            "repeat_window",
            "max_mentees_per_team",
        ]

    # The database refuses dates out of order with the constraint's name; these
    # say it in words, on the field to fix: (earlier, later, may be equal, message).
    DATE_ORDER = [
        ("signup_opens_on", "signup_closes_on", True, "Sign-ups cannot close before they open."),
        ("signup_closes_on", "starts_on", True, "The rotation starts once sign-ups are closed."),
        ("starts_on", "ends_on", False, "The rotation must end after the day it starts."),
    ]

    def clean(self):
        cleaned = super().clean()
        self._check_dates(cleaned)
        self._check_capacity(cleaned)
        self._check_levels(cleaned)
        return cleaned

    def _check_dates(self, cleaned) -> None:
        for earlier, later, equal_ok, message in self.DATE_ORDER:
            first, then = cleaned.get(earlier), cleaned.get(later)
            if first and then and (then < first or (then == first and not equal_ok)):
                self.add_error(later, message)

    def _check_capacity(self, cleaned) -> None:
        capacity = cleaned.get("default_mentor_capacity")
        if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
            self.add_error(
                "default_mentor_capacity",
                f"A mentor takes between 1 and {MAX_CAPACITY} mentees.",
            )

    def _check_levels(self, cleaned) -> None:
        """Level codes must exist on the ladder's latest published revision, and the
        mentee range must hold at least one level."""
        ladder = cleaned.get("ladder")
        if ladder is None:
            return
        revision = latest_published(ladder_id=ladder.pk)
        positions = (
            dict(Level.objects.filter(revision=revision).values_list("code", "position"))
            if revision
            else {}
        )
        if not positions:
            self.add_error("ladder", f"{ladder} has no published revision with levels yet.")
            return
        codes = sorted(positions, key=positions.__getitem__)
        for name in ("mentor_min_level", "mentee_min_level", "mentee_max_level"):
            code = cleaned.get(name)
            if code and code not in positions:
                self.add_error(
                    name, f"{code} is not a level of {ladder}; choose one of {', '.join(codes)}."
                )
        low, high = cleaned.get("mentee_min_level"), cleaned.get("mentee_max_level")
        if low in positions and high in positions and positions[low] > positions[high]:
            self.add_error(
                "mentee_max_level",
                f"The highest mentee level ({high}) is below the lowest ({low}) on {ladder}, "
                "so no one could sign up as a mentee: swap them.",
            )


@admin.register(RotationCycle)
class RotationCycleAdmin(ReviewPage, PeopleTeamOnly, SimpleHistoryAdmin):
    form = RotationCycleForm
    list_display = [
        "name",
        "theme",
        "status",
        "signup_opens_on",
        "signup_closes_on",
        "starts_on",
        "ends_on",
        "signup_count",
        "review_link",
    ]
    list_filter = ["status", "ladder"]
    search_fields = ["name", "theme"]
    date_hierarchy = "starts_on"
    readonly_fields = ["status", "created_at"]
    autocomplete_fields = ["ladder"]
    change_form_template = "admin/mentorship/rotationcycle/change_form.html"
    fieldsets = [
        (None, {"fields": ["name", "theme", "description", "status"]}),
        (
            "Dates",
            {
                "fields": ["signup_opens_on", "signup_closes_on", "starts_on", "ends_on"],
                "description": "The daily beat moves the cycle on at these dates; the actions "
                "on the list move it by hand.",
            },
        ),
        (
            "Rules",
            {
                "fields": [
                    "ladder",
                    ("mentor_min_level", "mentee_min_level", "mentee_max_level"),
                    "min_level_gap",
                    "default_mentor_capacity",
                    "require_cross_team",
                    "repeat_window",
                    "max_mentees_per_team",
                ]
            },
        ),
    ]
    actions = ["open_signups", "close_and_match", "rerun_keeping_locks", "publish", "close"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "starts_on" in form.changed_data:
            kickoff_invitations_refresh_later(cycle=obj)  # same UID, raised SEQUENCE

    def get_queryset(self, request):
        active = Q(signups__status=SignUp.Status.ACTIVE)
        return super().get_queryset(request).annotate(signup_count=Count("signups", filter=active))

    @admin.display(description="sign-ups", ordering="signup_count")
    def signup_count(self, cycle):
        return cycle.signup_count

    @admin.display(description="review")
    def review_link(self, cycle):
        if cycle.status in (RotationCycle.Status.DRAFT, RotationCycle.Status.OPEN):
            return "—"
        url = reverse("admin:mentorship_rotationcycle_review", args=[cycle.pk])
        return format_html('<a href="{}">Review the match</a>', url)

    # Each action calls a service per cycle and says what happened to each.

    def _each(self, request, queryset, service, done: str) -> None:
        for cycle in queryset:
            try:
                service(cycle=cycle, by=request.user)
            except ApplicationError as error:
                messages.warning(request, error.message)
            else:
                messages.success(request, done.format(cycle=cycle))

    @admin.action(description="Open sign-ups")
    def open_signups(self, request, queryset):
        self._each(request, queryset, cycle_open_signups, "{cycle} is open for sign-up.")

    @admin.action(description="Close sign-ups and match")
    def close_and_match(self, request, queryset):
        self._each(
            request,
            queryset,
            cycle_close_and_match,
            "Sign-ups to {cycle} are closed; the match is being computed. Review it in a moment.",
        )

    @admin.action(description="Re-run the match keeping locks")
    def rerun_keeping_locks(self, request, queryset):
        self._each(
            request, queryset, cycle_rerun, "{cycle}: the match is re-running, keeping the locks."
        )

    @admin.action(description="Publish the match")
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            cycle_publish,
            "{cycle} is published; each pair and their managers will be emailed.",
        )

    @admin.action(description="Close the cycle")
    def close(self, request, queryset):
        self._each(request, queryset, cycle_close, "{cycle} is closed.")

    # --- the review page ---------------------------------------------------------------

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        search = self.admin_site.admin_view(pairing_search_view)
        return [
            path("<path:object_id>/review/", review, name="mentorship_rotationcycle_review"),
            path(
                "<path:object_id>/review/pairings/",
                search,
                name="mentorship_rotationcycle_review_pairings",
            ),
            path(
                "<path:object_id>/review/signups/",
                self.admin_site.admin_view(signup_search_view),
                name="mentorship_rotationcycle_review_signups",
            ),
            *super().get_urls(),
        ]
