"""Who listens to whom across apps, in one place: the composition root, the
only module besides the URLs that may name every app. Dependencies point one
way (people <- ladders <- mentorship, onboarding), so a lower app cannot call
a higher one; instead it reads here, as dotted paths resolved on first use,
what the higher apps add. `manage.py check` imports every path (people.E002
to E005), so a typo stops start-up instead of silently skipping a hand-over,
an audit kind or a commitment. settings.py names these again, so every
setting can still be found there."""

# The person lifecycle (people/hooks.py): what every other app does when people
# join, are given a last day, leave or return, in one place. Each entry is a
# dotted path to a function taking a list of person ids, run inside the
# transaction that made the change; `manage.py check` imports them all.
PERSON_LIFECYCLE_SUBSCRIBERS: dict[str, list[str]] = {
    "person_added": ["onboarding.services.plans.plans_create_later"],
    "person_leaving": ["onboarding.services.offboarding.checklists_for_leaving"],
    "person_left": [
        "mentorship.services.leavers.rotations_hand_over",
        "onboarding.services.leavers.plans_hand_over",
        "ladders.services.leavers.ladders_hand_over",
    ],
    # {person id: changed fields}: no buddy in a new manager chain; a plan
    # (and its open tasks' due dates) follows a moved start date.
    "person_changed": [
        "onboarding.services.buddies.buddies_out_of_manager_chains",
        "onboarding.services.plans.plans_follow_start_dates",
    ],
    "person_returned": ["onboarding.services.offboarding.checklists_cancel_for_returned"],
}

# What the audit log can show (people/audit.py): each path names a tuple of
# AuditKind, in the order the kind filter lists them.
AUDIT_KINDS: list[str] = [
    "people.audit.KINDS",
    "ladders.audit.KINDS",
    "mentorship.audit.KINDS",
    "onboarding.audit.KINDS",
]

# What counts against the concurrent-commitment limit besides stretch
# assignments (ladders/selectors/commitments.py): each path names a
# CommitmentSource that counts in bulk.
COMMITMENT_SOURCES: list[str] = ["mentorship.selectors.commitments.ROTATIONS"]

# The words of the account invitation that people sends (people/services/
# invitations.py): a function (*, person, url, days) -> (subject, body), the
# people team's words for it (messaging's "account_invitation.email").
INVITATION_EMAIL: str = "messaging.account_invitation.invitation_email"
