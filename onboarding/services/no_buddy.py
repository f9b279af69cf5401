"""Telling the people team, once per plan, that nobody had room to be a new
hire's buddy (used by buddies.buddies_choose)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from messaging.texts import render_email
from people.models import User

from ..models import OnboardingPlan, Reminder


def tell_people_team(plans: list[OnboardingPlan]) -> None:
    """One email per plan to the people team members not told yet. The row is
    written before sending, in this transaction: a failed send rolls it back
    (and the task retries), a second run finds it and sends nothing."""
    if not plans:
        return
    members = list(
        User.objects.filter(groups__name=settings.PEOPLE_TEAM_GROUP, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    keys = {plan.pk: f"plan-{plan.pk}" for plan in plans}
    told = set(
        Reminder.objects.filter(kind=Reminder.Kind.NO_BUDDY, key__in=keys.values()).values_list(
            "key", "recipient_id"
        )
    )
    for plan in plans:
        recipients = [m for m in members if (keys[plan.pk], m.pk) not in told]
        if not recipients:
            continue
        Reminder.objects.bulk_create(
            Reminder(kind=Reminder.Kind.NO_BUDDY, recipient=m, key=keys[plan.pk], task_count=1)
            for m in recipients
        )
        _send_no_buddy_email(plan, recipients)


def no_buddy_context(plan: OnboardingPlan) -> dict:
    """The placeholders of the no_buddy texts: the email's and the Slack one's."""
    new_hire = plan.new_hire
    return {
        "new_hire": new_hire,
        "manager": new_hire.manager,
        "team": new_hire.team.name if new_hire.team else "",
        "start_date": plan.start_date,
        "note": plan.buddy_note,
        "link": settings.SITE_URL.rstrip("/") + reverse("onboarding:plan_detail", args=[plan.pk]),
    }


def _send_no_buddy_email(plan: OnboardingPlan, recipients: list[User]) -> None:
    """One email to them all, in the people team's words (``no_buddy.email``);
    the team's channel hears it from onboarding.services.slack."""
    subject, body = render_email("no_buddy.email", no_buddy_context(plan))
    EmailMessage(subject=subject, body=body, to=[m.email for m in recipients]).send()
