"""Match runs in the admin: read-only figures, phases and who was left out."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from people.admin import PeopleTeamOnly

from ..models import MatchRun
from ..selectors.review import unmatched_reason
from .review import figure_rows, phase_rows

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
