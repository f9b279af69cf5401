"""Rotation news on Slack, for those who take it (see messaging/): the pair's
group message with why they were paired, the project and the kick-off;
a DM to each manager; runs finished or failed, and pairings someone left, in
the people team's channel.
Each message is recorded under a unique key, so a rerun adds nothing."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format

from core.timezones import zone_of
from messaging.notify import about
from messaging.preferences import slack_configured
from messaging.services import people_team_post, people_team_posts, slack_message_record
from messaging.texts import Overrides, render_text, text_for
from people.models import User

from ..models import MatchRun, Pairing
from .invitations import kickoff_starts_at


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


# Each manager's reports in a cycle's pairings: (report, their role, the pairing).
ReportsPaired = dict[User, list[tuple[User, str, Pairing]]]


def pairings_published_slack(
    pairings: list[Pairing], reports: ReportsPaired, known: Overrides | None = None
) -> int:
    """One group message per pair and one DM per manager (``reports``: who to
    list for each); returns how many were recorded."""
    if not slack_configured():
        return 0
    recorded = sum(1 for pairing in pairings if _pair_message(pairing, known))
    return recorded + _manager_messages(reports, known)


def _pair_message(pairing: Pairing, known: Overrides | None):
    mentor, mentee = pairing.mentor.person, pairing.mentee.person
    cycle = pairing.cycle
    kickoff = kickoff_starts_at(pairing).astimezone(zone_of(mentee.timezone))
    why = "\n".join(f"• {reason}" for reason in pairing.explanation) or "• Paired by hand."
    text = render_text(
        "pairing_published",
        {
            "mentor": mentor,
            "mentee": mentee,
            "cycle": str(cycle),
            "theme": cycle.theme,
            "project": pairing.mentor.project_title or "to agree in your first session",
            "why": why,
            "kickoff": f"{date_format(kickoff, 'l j F, H:i')} ({mentee.timezone})",
            "link": _link("mentorship:my_rotation"),
        },
        known=known,
    )
    return slack_message_record(
        key=f"slack:published:pairing-{pairing.pk}",
        kind="pairing_published",
        text=text,
        people=[p for p in (mentor, mentee) if p.is_active],
    )


def _manager_messages(reports: ReportsPaired, known: Overrides | None) -> int:
    """One DM per manager in the people team's words (``pairing_published_manager``)."""
    recorded = 0
    for manager, rows in reports.items():
        cycle = rows[0][2].cycle
        text = render_text(
            "pairing_published_manager",
            {
                **about(manager),
                "cycle": cycle,
                "rows": rows,
                "link": _link("mentorship:team_participation"),
            },
            known=known,
        )
        recorded += bool(
            slack_message_record(
                key=f"slack:published:cycle-{cycle.pk}:manager-{manager.pk}",
                kind="pairing_published_manager",
                text=text,
                people=[manager],
            )
        )
    return recorded


def match_run_slack(*, match_run_id: int) -> None:
    """Tell the people team's channel a run finished or failed (once each),
    in the people team's words (``match_run_done``, ``match_run_failed``)."""
    if not slack_configured():
        return
    run = MatchRun.objects.select_related("cycle").filter(pk=match_run_id).first()
    if run is None or run.status not in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
        return
    kind = f"match_run_{run.status}"  # its words: messaging/kinds.py
    context = {
        "run_id": run.pk,
        "cycle": run.cycle,
        "link": _link("admin:mentorship_matchrun_change", run.pk),
    }
    if run.status == MatchRun.Status.DONE:
        context.update(pairs=run.figures.get("matched", 0), unmatched=len(run.unmatched))
    else:
        context.update(error=run.error)
    people_team_post(
        key=f"slack:run-{run.pk}:{run.status}", kind=kind, text=render_text(kind, context)
    )


def pairings_left_people_team(pairings: list[Pairing]) -> None:
    """The people team's channel hears of each pairing someone left, once."""
    source = text_for("pairing_left")  # one read for all of them
    people_team_posts(
        kind="pairing_left",
        texts={
            f"slack:pairing-left:pairing-{pairing.pk}": render_text(
                "pairing_left",
                {
                    "left": pairing.left_person,
                    "status": pairing.get_status_display().lower(),
                    "pairing": str(pairing),
                    "cycle": pairing.cycle,
                    "link": _link("mentorship:cycle_detail", pairing.cycle_id),
                },
                source=source,
            )
            for pairing in pairings
        },
    )
