"""The rotation cycles' admin: dates, rules, and the moves from sign-up to
close as list actions; each cycle's match review is its own page (review.py)."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from ..forms import RotationCycleForm
from ..models import RotationCycle, SignUp
from ..services.cycles import cycle_close, cycle_close_and_match, cycle_open_signups, cycle_rerun
from ..services.matching_run import cycle_publish
from ..services.notifications import kickoff_invitations_refresh_later
from . import review


@admin.register(RotationCycle)
class RotationCycleAdmin(PeopleTeamOnly, SimpleHistoryAdmin):
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

    # --- the review page and its pickers' search (review.py) ------------------------

    def get_urls(self):
        return [*review.review_urls(self), *super().get_urls()]
