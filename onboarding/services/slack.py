"""Onboarding news on Slack, for those who take it (see messaging/): the
buddy introduction to the new hire and their buddy on the new hire's first
morning (their zone), and buddies not found in the people team's channel."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from messaging.invitations import default_slot
from messaging.preferences import slack_configured
from messaging.services import people_team_post, slack_message_record
from messaging.texts import render_text

from ..models import OnboardingPlan
from .no_buddy import no_buddy_context


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def buddy_introduction_slack(plans: list[OnboardingPlan]) -> int:
    """One group message per plan and buddy, held until the first day's
    default slot in the new hire's zone (at once if that has passed)."""
    if not slack_configured():
        return 0
    recorded = 0
    for plan in plans:
        new_hire, buddy = plan.new_hire, plan.buddy
        if buddy is None:
            continue
        first_morning = default_slot(plan.start_date, plan.timezone)
        text = render_text(
            "buddy_introduction",
            {
                "new_hire": new_hire,
                "buddy": buddy,
                "manager": new_hire.manager,
                "team": new_hire.team.name if new_hire.team else "",
                "note": plan.buddy_note,
                "link": _link("onboarding:my_checklist"),
            },
        )
        recorded += bool(
            slack_message_record(
                key=f"slack:buddy-intro:plan-{plan.pk}:buddy-{buddy.pk}",
                kind="buddy_introduction",
                text=text,
                people=[new_hire, buddy],
                send_after=max(first_morning, timezone.now()),
            )
        )
    return recorded


def no_buddy_slack(plans: list[OnboardingPlan]) -> None:
    """The people team's channel hears of each plan with nobody available, once."""
    for plan in plans:
        # The Slack text's start date is written out (the email's is a date).
        context = {**no_buddy_context(plan), "start_date": f"{plan.start_date:%d %b %Y}"}
        people_team_post(
            key=f"slack:no-buddy:plan-{plan.pk}",
            kind="no_buddy",
            text=render_text("no_buddy", context),
        )
