"""Celery tasks for onboarding: thin, by id, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .services.buddies import buddies_choose_and_invite, buddies_choose_waiting
from .services.invitations import plan_invitations_cancel, plan_invitations_send
from .services.leavers import buddy_replace
from .services.plans import plans_create_for, plans_create_missing
from .services.reminders import reminders_send


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def reminders_send_task() -> dict[str, int]:
    """Hourly (beat): digests whose local hour has come, and escalations."""
    sent = reminders_send(now=timezone.now())
    return {"digests": sent.digests, "escalations": sent.escalations}


# --- Plans (the people hook and the daily sweep) ------------------------------------
# No automatic retry: creating plans sends nothing, a failed run changes nothing
# (one transaction), and the daily sweep creates any plan still missing.


@shared_task
def plans_create_task(person_ids: list[int]) -> int:
    """Create onboarding plans for new hires just added. Safe to run twice."""
    return len(plans_create_for(person_ids=person_ids))


@shared_task
def plans_create_missing_task() -> int:
    """Daily (beat): a plan for every new hire who still has none."""
    return len(plans_create_missing(today=timezone.localdate()))


# --- buddies -----------------------------------------------------------------------


@shared_task
def buddies_choose_task(plan_ids: list[int]) -> int:
    """Choose buddies for these plans (a week's new hires) together. Plans
    that already have one are left alone, so a rerun changes nothing."""
    return buddies_choose_and_invite(plan_ids=plan_ids)


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def buddies_choose_waiting_task() -> int:
    """Daily (beat): plans still without a buddy, week by week."""
    return buddies_choose_waiting(today=timezone.localdate())


# --- calendar invitations ------------------------------------------------------------


@shared_task
def plan_invitations_send_task(plan_ids: list[int]) -> int:
    """Invite each plan's two-person meetings and pairing sessions (once per change)."""
    return sum(plan_invitations_send(plan_id=plan_id) for plan_id in plan_ids)


@shared_task
def plan_invitations_cancel_task(plan_id: int) -> int:
    """The plan's sessions no longer take place: METHOD:CANCEL for each, once."""
    return plan_invitations_cancel(plan_id=plan_id)


# --- leavers ---------------------------------------------------------------------------


@shared_task
def buddy_replace_task(plan_id: int, leaver_id: int) -> bool:
    """A buddy left: choose a new one and tell the new hire, once."""
    return buddy_replace(plan_id=plan_id, leaver_id=leaver_id)
