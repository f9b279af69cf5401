"""The people team's rotation admin: cycles (dates, rules, and the moves from
sign-up to close), sign-ups, match runs (read-only figures), and the review
page where a run's proposal is locked, pruned, swapped, re-run and published."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from ladders.models import Level
from ladders.selectors.standing import latest_published
from people import access
from people.admin import PeopleTeamOnly
from people.errors import ApplicationError

from . import policies
from .admin_review import (
    PairByHandForm,
    SwapForm,
    pairing_search_view,
    review_listing,
    signup_search_view,
    swap_initial,
)
from .models import MatchRun, Pairing, Preference, Role, RotationCycle, SignUp
from .scoring.reasons import in_third_person
from .selectors.review import exclusions_of, run_pairings, unmatched_reason
from .services.cycles import cycle_close, cycle_close_and_match, cycle_open_signups, cycle_rerun
from .services.leavers import pairings_left
from .services.matching_run import cycle_publish
from .services.notifications import kickoff_invitations_refresh_later
from .services.review import (
    AFTER_PUBLISHING,
    latest_done_run,
    pairing_create_by_hand,
    pairing_lock,
    pairing_remove,
    pairing_swap,
)
from .services.signups import MAX_CAPACITY, signup_withdraw_for

FIGURE_LABELS = [
    ("participants", "Participants"),
    ("mentors", "Mentors"),
    ("mentees", "Mentees"),
    ("capacity", "Mentor places offered"),
    ("eligible_pairs", "Candidate pairs weighed"),
    ("matched", "Mentees matched"),
    ("match_rate", "Match rate"),
    ("crossing_teams", "Pairs crossing teams"),
    ("locked_kept", "Locked pairs kept"),
    ("locked", "Pairs locked now"),
    ("total_score", "Total score"),
    ("average_score", "Average score"),
]
PHASES = [("load", "Loading"), ("score", "Scoring"), ("solve", "Solving"), ("write", "Writing")]


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

    def review_view(self, request, object_id):
        cycle = RotationCycle.objects.select_related("ladder").filter(pk=object_id).first()
        if cycle is None or not policies.can_run_cycles(request.user):
            raise access.not_found()
        run = latest_done_run(cycle=cycle)
        pairings = run_pairings(run) if run else Pairing.objects.none()
        initial = swap_initial(pairings, request.GET.get("swap"))
        swap = SwapForm(request.POST or None, pairings=pairings, initial=initial)
        by_hand = PairByHandForm(request.POST or None, cycle=cycle, run=run)
        if request.method == "POST":
            response = self._review_post(request, cycle, swap, by_hand)
            if response is not None:
                return response
        latest = MatchRun.objects.filter(cycle=cycle).select_related("requested_by").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review the match: {cycle}",
            "cycle": cycle,
            "run": run,
            "newer_run": latest if latest and (run is None or latest.pk != run.pk) else None,
            **_with_team_explanations(review_listing(request, run, pairings)),
            "figures": figure_rows(run) if run else [],
            "phases": phase_rows(run) if run else [],
            "swap": swap,
            "by_hand": by_hand,
            "exclusions": list(exclusions_of(cycle=cycle)),
            "left_pairings": list(pairings_left(cycle=cycle)),
            "in_review": cycle.status == RotationCycle.Status.REVIEW,
            "re_pairing": cycle.status in AFTER_PUBLISHING,
            "can_rerun": can_rerun(cycle, latest),
        }
        return TemplateResponse(request, "admin/mentorship/rotationcycle/review.html", context)

    def _review_post(self, request, cycle, swap, by_hand):
        """Run the button's service; None re-renders the page (a form error)."""
        action = request.POST.get("action")
        here = redirect(request.get_full_path())  # the same page and search
        form = by_hand if action == "pair" else swap
        try:
            if action == "pair":
                if not by_hand.is_valid():
                    return None
                pairing = pairing_create_by_hand(
                    cycle=cycle, by=request.user, **by_hand.cleaned_data
                )
                messages.success(request, _paired_message(pairing))
            elif action == "swap":
                if not swap.is_valid():
                    return None
                first, second = swap.chosen()
                pairing_swap(pairing_a=first, pairing_b=second)
                messages.success(
                    request,
                    f"Swapped the mentors of {first.mentee.person} and {second.mentee.person}; "
                    "both pairs are locked, so a re-run keeps the swap.",
                )
            elif action in ("lock", "unlock", "remove"):
                pairing = self._pairing(request, cycle)
                if action == "remove":
                    pairing_remove(pairing=pairing, by=request.user)
                    messages.success(
                        request,
                        f"Removed {pairing}: both are listed as unmatched, and a re-run will "
                        "not pair them again in this cycle.",
                    )
                else:
                    pairing_lock(pairing=pairing, locked=action == "lock")
                    messages.success(request, f"{pairing}: {action}ed.")
            elif action == "rerun":
                cycle_rerun(cycle=cycle, by=request.user)
                messages.success(request, "The match is re-running, keeping the locked pairs.")
            elif action == "publish":
                published = cycle_publish(cycle=cycle, by=request.user)
                messages.success(
                    request, f"Published {published.count} pairings; emails are on their way."
                )
                for sentence in published.dropped:
                    messages.warning(request, sentence)
                return redirect("admin:mentorship_rotationcycle_changelist")
            else:
                messages.error(request, "Unknown action: nothing was changed.")
        except ApplicationError as error:
            if action in ("swap", "pair"):
                form.add_error(error.field if error.field in form.fields else None, error.message)
                return None
            messages.error(request, error.message)
        return here

    def _pairing(self, request, cycle) -> Pairing:
        pairing = (
            Pairing.objects.select_related("mentor__person", "mentee__person")
            .filter(cycle=cycle, pk=request.POST.get("pairing") or 0)
            .first()
        )
        if pairing is None:
            raise ApplicationError("That pairing no longer exists: the page was out of date.")
        return pairing


def _with_team_explanations(listing: dict) -> dict:
    """Explanations are stored as the mentee reads them and unmatched reasons
    in both voices; this page is about them, not to them, so its rows read in
    the third person."""
    pairings = list(listing["pairings"])
    for pairing in pairings:
        pairing.team_explanation = in_third_person(
            pairing.explanation, mentee=str(pairing.mentee.person)
        )
    unmatched = [{**row, "team_reason": unmatched_reason(row)} for row in listing["unmatched"]]
    return {**listing, "pairings": pairings, "unmatched": unmatched}


def can_rerun(cycle: RotationCycle, latest: MatchRun | None) -> bool:
    """In review, or still matching after the last run failed."""
    if cycle.status == RotationCycle.Status.REVIEW:
        return True
    failed = latest is not None and latest.status == MatchRun.Status.FAILED
    return cycle.status == RotationCycle.Status.MATCHING and failed


def figure_rows(run: MatchRun) -> list[tuple[str, object]]:
    figures = run.figures or {}
    rows = []
    for key, label in FIGURE_LABELS:
        if key in figures:
            value = figures[key]
            rows.append((label, f"{value:.0%}" if key == "match_rate" else value))
    return rows


def phase_rows(run: MatchRun) -> list[tuple[str, object]]:
    seconds = (run.figures or {}).get("seconds", {})
    rows = [(label, seconds[key]) for key, label in PHASES if key in seconds]
    if "total" in seconds:
        rows.append(("In all", seconds["total"]))
    return rows


def _paired_message(pairing: Pairing) -> str:
    if pairing.status == Pairing.Status.PUBLISHED:
        return f"Paired {pairing}: published, and both are told with the kick-off invitation."
    return f"Paired {pairing}: locked, so a re-run keeps the pair."


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


# --- match runs -------------------------------------------------------------------------


@admin.register(MatchRun)
class MatchRunAdmin(PeopleTeamOnly, admin.ModelAdmin):
    """Read-only: a run is written by its worker, reviewed on the cycle's review page."""

    list_display = ["__str__", "cycle", "status", "created_at", "requested_by", "matched", "took"]
    list_filter = ["status", "cycle"]
    list_select_related = ["cycle", "requested_by"]
    fields = readonly_fields = (
        "cycle",
        "status",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "error",
        "figures_table",
        "locks_dropped",
        "unmatched_table",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="matched")
    def matched(self, run):
        figures = run.figures or {}
        if "matched" not in figures:
            return "—"
        return f"{figures['matched']} of {figures.get('mentees', '?')}"

    @admin.display(description="seconds")
    def took(self, run):
        return (run.figures or {}).get("seconds", {}).get("total", "—")

    @admin.display(description="figures")
    def figures_table(self, run):
        rows = figure_rows(run) + [(f"{label} (s)", value) for label, value in phase_rows(run)]
        if not rows:
            return "—"
        body = format_html_join(
            "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((k, v) for k, v in rows)
        )
        return format_html("<table><caption>Figures of this run</caption>{}</table>", body)

    @admin.display(description="locks dropped")
    def locks_dropped(self, run):
        sentences = (run.figures or {}).get("locks_dropped") or []
        if not sentences:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((s,) for s in sentences))
        )

    @admin.display(description="unmatched")
    def unmatched_table(self, run):
        if not run.unmatched:
            return "Nobody: everyone was matched." if run.status == MatchRun.Status.DONE else "—"
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row.get("person", ""),
                    row.get("role", ""),
                    row.get("team", ""),
                    unmatched_reason(row),
                )
                for row in run.unmatched
            ),
        )
        return format_html(
            "<table><caption>Who was left out, and why</caption><thead><tr>"
            '<th scope="col">Person</th><th scope="col">Role</th><th scope="col">Team</th>'
            '<th scope="col">Reason</th></tr></thead><tbody>{}</tbody></table>',
            body,
        )
