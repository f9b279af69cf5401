"""The default offboarding template: what a fresh install starts with (the data
migration) and what the demo seeds. The people team edits it in the admin."""

NAME = "Offboarding"
DESCRIPTION = "For every leaver: handover, exit conversation, access removal."

# (title, description, kind, assignee role, working days from the last day)
ITEMS = [
    (
        "Agree the handover of their work",
        "Who takes over each project, on-call shift and open review; written down.",
        "meeting",
        "manager",
        -10,
    ),
    (
        "Exit conversation",
        "Ask why they leave and what we could do better; note it for the people team.",
        "meeting",
        "people_team",
        -5,
    ),
    (
        "Final pay, leave balance and paperwork",
        "Untaken leave, the last payslip, the reference letter if asked for.",
        "setup",
        "people_team",
        -5,
    ),
    (
        "Move their ownerships",
        "Repositories, dashboards, documents and calendars they own pass to someone.",
        "setup",
        "manager",
        -2,
    ),
    (
        "Collect their equipment",
        "Laptop, badge and keys.",
        "setup",
        "manager",
        0,
    ),
    (
        "Remove their access",
        "Single sign-on, email, Slack and every tool outside single sign-on, "
        "at the end of their last day.",
        "setup",
        "people_team",
        0,
    ),
]


def template_ensure(template_model, item_model) -> bool:
    """Create the default template unless one of that name exists (a fresh
    install, or the demo); returns whether it created it. Takes the models so
    the data migration can pass its historical ones."""
    if template_model.objects.filter(name=NAME).exists():
        return False
    template = template_model.objects.create(
        name=NAME, description=DESCRIPTION, purpose="offboarding", applies_to="everyone"
    )
    item_model.objects.bulk_create(
        item_model(
            template=template,
            title=title,
            description=description,
            kind=kind,
            assignee_role=role,
            due_offset=offset,
            position=position,
        )
        for position, (title, description, kind, role, offset) in enumerate(ITEMS)
    )
    return True
