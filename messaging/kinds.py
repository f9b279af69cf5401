"""Every message the product sends that the people team can reword: its
default words, the placeholders it offers and sample data for the preview.

A *notice* (sent with ``messaging.notify.notify``) has two kinds: ``<name>``,
its Slack text, and ``<name>.email``, its email subject and body, whose
default body is a template file in the repository. The person, their
manager, their team and the link come with every notice (``COMMON``).

Some messages go by their own path, not notify (a calendar invitation
attached, one group message to a pair, one email to the whole people team):
their words are declared here all the same, an email alone with
``email(...)`` (``<name>.email``, with the COMMON placeholders), and they are
edited, previewed and tested like the others (docs/architecture.md). What a
kind is: messaging/message_kind.py."""

from django.conf import settings

from . import samples
from .message_kind import (
    ASSIGNMENT,
    CYCLE,
    MATCH_RUN,
    NO_BUDDY,
    PAIRING,
    PERSON,
    SESSION,
    MessageKind,
    email,
    notice,
)

__all__ = ["KINDS", "PERSON", "MessageKind"]

# --- the catalogue ----------------------------------------------------------------------

KINDS: dict[str, MessageKind] = {
    "pairing_published": MessageKind(
        label="Slack: a published pairing (group message to mentor and mentee)",
        default=(
            ":wave: {{ mentor.name }} and {{ mentee.name }}: you are paired for *{{ cycle }}* "
            "({{ theme }}). {{ mentor.name }} mentors {{ mentee.name }}.\n"
            "*The project:* {{ project }}\n*Why you:*\n{{ why }}\n"
            "*Kick-off:* {{ kickoff }}; the invitation is in your email.\n"
            "<{{ link }}|Your rotation>"
        ),
        placeholders={
            "mentor": PERSON,
            "mentee": PERSON,
            "cycle": set(),
            "theme": set(),
            "project": set(),
            "why": set(),
            "kickoff": set(),
            "link": set(),
        },
        sample=lambda person: {
            **samples.person_sample(person),
            "mentee": person,
            "mentor": person.manager or person,
            "cycle": "Spring rotation",
            "theme": "Reliability",
            "project": "Make the checkout retry safely",
            "why": "• Teaches Testing, which the mentee wants to learn.",
            "kickoff": "Monday 8 February, 10:00 (Europe/London)",
        },
    ),
    **email(
        "pairing_published",
        label="a published pairing, with the kick-off invitation (to mentor and mentee)",
        subject="Your rotation pairing for {{ cycle }}: {{ partner }}",
        template="mentorship/email/pairing_published.txt",
        placeholders={
            "cycle": CYCLE,
            "pairing": PAIRING,
            "is_mentor": set(),
            "partner": PERSON,
            "mentor_signup": {"project_title", "project_outcome", "hours_per_week"},
        },
        sample=samples.pairing_published,
    ),
    **notice(
        "pairing_published_manager",
        label="the published pairings of a manager's reports (to each manager)",
        slack=(
            "Your reports' rotation pairings for *{{ cycle }}*:\n"
            "{% for person, role, pairing in rows %}• {{ person.name }} ({{ role|lower }}) with "
            "{% if pairing.mentor.person == person %}{{ pairing.mentee.person.name }}"
            "{% else %}{{ pairing.mentor.person.name }}{% endif %}\n{% endfor %}"
            "<{{ link }}|Your team's rotations>"
        ),
        subject="Your reports' rotation pairings for {{ cycle }}",
        template="mentorship/email/pairing_published_manager.txt",
        placeholders={"cycle": CYCLE, "rows": set()},
        sample=samples.reports_paired,
    ),
    "buddy_introduction": MessageKind(
        label="Slack: the buddy introduction (new hire and buddy, first morning)",
        default=(
            ":wave: Welcome {{ new_hire.name }}! {{ buddy.name }} is your onboarding buddy: "
            "ask them anything, and you will pair on your first tasks together.\n"
            "{{ note }}\n<{{ link }}|Your onboarding checklist>"
        ),
        placeholders={
            "new_hire": PERSON,
            "buddy": PERSON,
            "manager": PERSON,
            "team": set(),
            "note": set(),
            "link": set(),
        },
        sample=lambda person: {
            **samples.person_sample(person),
            "new_hire": person,
            "buddy": person.manager or person,
            "note": "Same team, 1 hour apart.",
        },
    ),
    "no_buddy": MessageKind(
        label="Slack: no buddy available (people team's channel)",
        default=(
            ":warning: No onboarding buddy available for {{ new_hire.name }} "
            "(starts {{ start_date }}): {{ note }} <{{ link }}|Choose one>"
        ),
        placeholders=NO_BUDDY,
        # The Slack text's start date is written out; the email's is a date.
        sample=lambda person: {**samples.no_buddy(person), "start_date": "04 Jan 2027"},
    ),
    "no_buddy.email": MessageKind(
        label="Email: no buddy available (to everyone in the people team)",
        subject="No onboarding buddy available for {{ new_hire }}",
        template="onboarding/email/no_buddy.txt",
        placeholders=NO_BUDDY,
        sample=samples.no_buddy,
    ),
    **notice(
        "onboarding_digest",
        label="the daily onboarding digest (tasks due soon or overdue)",
        slack=(
            ":spiral_note_pad: Your onboarding tasks today: {{ overdue|length }} overdue, "
            "{{ due_soon|length }} due soon.\n"
            "{% for line in lines %}• {{ line.task.title }}"
            "{% if line.overdue %} ({{ line.days_late }} working days late){% endif %}\n"
            "{% endfor %}<{{ link }}|See and tick them off>"
        ),
        subject="Onboarding: {{ overdue|length }} overdue, {{ due_soon|length }} due soon",
        template="onboarding/email/digest.txt",
        placeholders={"overdue": set(), "due_soon": set(), "lines": set()},
        sample=samples.lines,
    ),
    **notice(
        "onboarding_escalation",
        label="onboarding tasks long overdue (to the new hire's manager)",
        slack=(
            ":hourglass: These onboarding tasks are {{ escalate_after }} or more working "
            "days overdue:\n{% for line in lines %}• {{ line.task.title }}, for "
            "{{ line.task.plan.new_hire }} ({{ line.days_late }} working days late)\n"
            "{% endfor %}<{{ link }}|Open your new hires' tasks>"
        ),
        subject="Onboarding: {{ lines|length }} task(s) overdue for your new hires",
        template="onboarding/email/escalation.txt",
        placeholders={"lines": set(), "escalate_after": set(), "site_url": set()},
        sample=lambda person: {
            "lines": samples.lines(person)["overdue"],
            "escalate_after": 2,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    ),
    **notice(
        "checkin_request",
        label="the mid-rotation check-in prompt",
        slack=(
            ":seedling: {{ cycle.name }} is halfway through: how is your rotation with "
            "{{ partner.name }} going? Only you see your answer. <{{ link }}|Answer in a minute>"
        ),
        subject="How is your rotation going? ({{ cycle }})",
        template="mentorship/email/checkin_request.txt",
        placeholders={"partner": PERSON, "cycle": CYCLE},
        sample=lambda person: {"partner": person.manager or person, "cycle": samples.cycle()},
    ),
    **notice(
        "feedback_request",
        label="the end-of-rotation feedback prompt",
        slack=(
            ":checkered_flag: {{ cycle.name }} has ended. Thank you for taking part with "
            "{{ partner.name }}: three short, private questions. <{{ link }}|Give feedback>"
        ),
        subject="How did your rotation go? ({{ cycle }})",
        template="mentorship/email/feedback_request.txt",
        placeholders={"partner": PERSON, "cycle": CYCLE},
        sample=lambda person: {"partner": person.manager or person, "cycle": samples.cycle()},
    ),
    **email(
        "kickoff_updated",
        label="a rotation kick-off moved, with the updated invitation (to mentor and mentee)",
        subject="Updated: {{ summary }}",
        template="mentorship/email/kickoff_updated.txt",
        placeholders={
            "summary": set(),
            "pairing": PAIRING,
            "cycle": CYCLE,
            "proposed_by": PERSON,
            "starts": set(),
            "zone": set(),
        },
        sample=samples.kickoff_updated,
    ),
    **email(
        "kickoff_cancelled",
        label=(
            "a rotation kick-off cancelled, with the cancellation (to mentor and mentee; "
            "to the one who left, while their mailbox is open, with leaving true)"
        ),
        subject="Cancelled: {{ summary }}",
        template="mentorship/email/kickoff_cancelled.txt",
        placeholders={"summary": set(), "pairing": PAIRING, "cycle": CYCLE, "leaving": set()},
        sample=samples.kickoff_cancelled,
    ),
    **email(
        "session_invitation",
        label="an onboarding meeting or pairing session, with its invitation (to both people)",
        subject="Invitation: {{ summary }}",
        template="onboarding/email/session_invitation.txt",
        placeholders={**SESSION, "other": PERSON},
        sample=samples.session,
    ),
    **email(
        "session_updated",
        label="an onboarding session moved or with someone new, with the update (to both)",
        subject="Updated: {{ summary }}",
        template="onboarding/email/session_updated.txt",
        placeholders={**SESSION, "other": PERSON},
        sample=samples.session,
    ),
    **email(
        "session_cancelled",
        label="an onboarding session cancelled, or someone taken out of it, with the cancellation",
        subject="Cancelled: {{ summary }}",
        template="onboarding/email/session_cancelled.txt",
        placeholders={**SESSION, "goes_on": set(), "replaced_by": PERSON},
        sample=samples.session_cancelled,
    ),
    **notice(
        "assessment_request",
        label="an assessment asked for or self-started (to the manager)",
        slack=(
            ":memo: {% if started %}{{ person.name }} started a self-assessment: your side is "
            "waiting.{% else %}{{ person.name }} asks you for an assessment.{% endif %}"
            "{% if note %}\n> {{ note }}{% endif %}\n<{{ link }}|Open it>"
        ),
        subject=(
            "{% if started %}{{ person.name }} started a self-assessment: your side is waiting"
            "{% else %}{{ person.name }} asks you for an assessment{% endif %}"
        ),
        template="ladders/email/assessment_request.txt",
        placeholders={"person": PERSON, "started": set(), "note": set()},
        sample=lambda person: {"person": person, "started": False, "note": "Before my review."},
    ),
    **notice(
        "assessment_submitted",
        label="both sides of an assessment submitted (to the person and their manager)",
        slack=(
            ":white_check_mark: Both sides of {{ person.name }}'s assessment against "
            "{{ level }} are submitted: {{ manager_of_person.name }} can now finalise it. "
            "<{{ link }}|Open the assessment>"
        ),
        subject="Both sides of {{ person.name }}'s assessment are in",
        template="ladders/email/assessment_submitted.txt",
        placeholders={"person": PERSON, "manager_of_person": PERSON, "level": set()},
        sample=lambda person: {
            "person": person,
            "manager_of_person": person.manager or person,
            "level": "L3 Engineer",
        },
    ),
    **notice(
        "stretch_application",
        label="a stretch application (to whoever posted the assignment)",
        slack=(
            ":raising_hand: {{ applicant.name }} applied to *{{ assignment.title }}*: "
            "“{{ motivation }}” <{{ link }}|Decide>"
        ),
        subject="{{ applicant.name }} applied to {{ assignment.title }}",
        template="ladders/email/stretch_application.txt",
        placeholders={"applicant": PERSON, "assignment": ASSIGNMENT, "motivation": set()},
        sample=lambda person: {
            "applicant": person,
            "assignment": samples.assignment(),
            "motivation": "I want to learn incident response.",
        },
    ),
    **notice(
        "stretch_decision",
        label="a stretch application accepted or declined (to the applicant)",
        slack=(
            "{% if accepted %}:tada: You are in: {{ decided_by.name }} accepted your "
            "application to *{{ assignment.title }}*.{% else %}{{ decided_by.name }} declined "
            "your application to *{{ assignment.title }}* this time.{% endif %} "
            "<{{ link }}|The assignment>"
        ),
        subject=(
            "{% if accepted %}Accepted{% else %}Declined{% endif %}: "
            "your application to {{ assignment.title }}"
        ),
        template="ladders/email/stretch_decision.txt",
        placeholders={"assignment": ASSIGNMENT, "accepted": set(), "decided_by": PERSON},
        sample=lambda person: {
            "assignment": samples.assignment(),
            "accepted": True,
            "decided_by": person.manager or person,
        },
    ),
    # --- leavers (README, "Leavers") ---
    **notice(
        "stretch_leaver",
        label="a participant left: their stretch seat is free (to whoever posted it)",
        slack=(
            ":chair: {{ leaver.name }} has left the organisation, so their place on your "
            "stretch assignment “{{ assignment.title }}” is free again"
            "{% if still_open %} for someone else to apply{% endif %}. <{{ link }}|The assignment>"
        ),
        subject="{{ leaver.name }} has left: a seat on “{{ assignment.title }}” is free",
        template="ladders/email/stretch_leaver.txt",
        placeholders={"leaver": PERSON, "assignment": ASSIGNMENT, "still_open": set()},
        sample=lambda person: {
            "leaver": samples.leaver(person),
            "assignment": samples.assignment(),
            "still_open": True,
        },
    ),
    **notice(
        "buddy_left",
        label="a new hire's buddy left (to the new hire; who the new buddy is)",
        slack=(
            ":wave: {{ left.name }} has left the organisation, so they are no longer your "
            "onboarding buddy. {% if buddy %}{{ buddy.name }} is your new buddy.{% else %}"
            "The people team is finding you a new buddy and will tell you who.{% endif %} "
            "<{{ link }}|Your onboarding checklist>"
        ),
        subject="Your onboarding buddy {{ left.name }} has left",
        template="onboarding/email/buddy_left.txt",
        placeholders={"left": PERSON, "buddy": PERSON, "note": set()},
        sample=lambda person: {
            "left": samples.leaver(person),
            "buddy": person.manager or person,
            "note": "Same team, 1 hour apart.",
        },
    ),
    **notice(
        "partner_left",
        label="a rotation partner left: the pairing ends (to the one who stays)",
        slack=(
            ":wave: {{ left.name }} has left the organisation, so your rotation pairing in "
            "*{{ cycle }}* ends{% if has_invitation %}; its kick-off is cancelled{% endif %}. "
            "The people team has been told. <{{ link }}|Your rotation>"
        ),
        subject="{{ left.name }} has left: your rotation pairing in {{ cycle }} ends",
        template="mentorship/email/partner_left.txt",
        placeholders={
            "left": PERSON,
            "cycle": CYCLE,
            "pairing": set(),
            "has_invitation": set(),
            "is_mentee": set(),
        },
        sample=samples.partner_left,
    ),
    # --- the account invitation: sent by people, which may not import messaging, so
    # config/wiring.py names its renderer (messaging/account_invitation.py) ---
    **email(
        "account_invitation",
        label="the invitation to choose a password and sign in (to the person invited)",
        subject="You're invited to Growth",
        template="people/email/invitation.txt",
        placeholders={"person": PERSON, "url": set(), "days": set()},
        sample=samples.account_invitation,
    ),
    "match_run_done": MessageKind(
        label="Slack: a match run finished (people team's channel)",
        default=(
            ":white_check_mark: Match run {{ run_id }} of *{{ cycle }}* finished: "
            "{{ pairs }} pairs, {{ unmatched }} people unmatched. <{{ link }}|Review>"
        ),
        placeholders={**MATCH_RUN, "pairs": set(), "unmatched": set()},
        sample=samples.match_run_done,
    ),
    "match_run_failed": MessageKind(
        label="Slack: a match run failed (people team's channel)",
        default=":x: Match run {{ run_id }} of *{{ cycle }}* failed: {{ error }} <{{ link }}|Open>",
        placeholders={**MATCH_RUN, "error": set()},
        sample=samples.match_run_failed,
    ),
    "pairing_left": MessageKind(
        label="Slack: a pairing someone left (people team's channel)",
        default=(
            ":warning: {{ left.name }} left: their {{ status }} pairing {{ pairing }} "
            "in *{{ cycle }}* needs a decision. <{{ link }}|The cycle>"
        ),
        placeholders={
            "left": PERSON,
            "status": set(),
            "pairing": set(),
            "cycle": CYCLE,
            "link": set(),
        },
        sample=lambda person: {
            **samples.person_sample(person),
            **samples.partner_left(person),
            "status": "published",
        },
    ),
}
