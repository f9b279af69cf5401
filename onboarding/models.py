"""Onboarding: templates composed by rules into one plan per new hire.

A plan is a snapshot: its tasks copy the template items with absolute due
dates, so later template edits change nothing until the people team re-syncs
the plan explicitly. Completed tasks never change.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from people.history import HistoryStamps
from people.history import MeaningfulHistoricalRecords as HistoricalRecords


class Holiday(models.Model):
    """An organisation-wide day off: no task falls due on it."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class Kind(models.TextChoices):
    PRODUCT_CONTEXT = "product", "Product context"
    SETUP = "setup", "Setup"
    PAIRING = "pairing", "Pairing task"
    MEETING = "meeting", "Meeting"
    READING = "reading", "Reading"


class AssigneeRole(models.TextChoices):
    NEW_HIRE = "new_hire", "New hire"
    BUDDY = "buddy", "Buddy"
    MANAGER = "manager", "Manager"
    PEOPLE_TEAM = "people_team", "People team"


class Purpose(models.TextChoices):
    """What a template builds: a new hire's plan, or a leaver's checklist."""

    ONBOARDING = "onboarding", "Onboarding"
    OFFBOARDING = "offboarding", "Offboarding"


class ChecklistTemplate(HistoryStamps, models.Model):
    class AppliesTo(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        TEAM = "team", "A team"
        LEVEL = "level", "A level"
        TRACK = "track", "A track"

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    purpose = models.CharField(
        max_length=12,
        choices=Purpose,
        default=Purpose.ONBOARDING,
        help_text="Offboarding items count their due dates back from the last day.",
    )
    applies_to = models.CharField(max_length=10, choices=AppliesTo, default=AppliesTo.EVERYONE)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.CASCADE)
    level_code = models.CharField(max_length=40, blank=True, help_text="For 'a level', e.g. L3.")
    track = models.CharField(max_length=10, blank=True, help_text="For 'a track': ic or manager.")
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within a plan.")
    # Reminders of this template's tasks; empty follows the settings
    # (ONBOARDING_DIGEST_HOUR, ONBOARDING_ESCALATE_AFTER).
    digest_hour = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text="Local hour (0-23) from which each person's daily digest of these tasks "
        "goes out. Empty: the site's default.",
    )
    escalate_after = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days one of these tasks may be overdue before the new hire's "
        "manager is told. Empty: the site's default.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(applies_to="team") | Q(team__isnull=False),
                name="onboarding_team_rule_names_a_team",
            ),
            models.CheckConstraint(
                condition=~Q(applies_to="level") | ~Q(level_code=""),
                name="onboarding_level_rule_names_a_level",
            ),
            models.CheckConstraint(
                condition=~Q(applies_to="track") | Q(track__in=["ic", "manager"]),
                name="onboarding_track_rule_names_a_track",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateItem(HistoryStamps, models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Links are made clickable.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SETUP)
    assignee_role = models.CharField(
        max_length=12, choices=AssigneeRole, default=AssigneeRole.NEW_HIRE
    )
    due_offset = models.SmallIntegerField(
        default=0,
        help_text="Working days from the start date (onboarding) or the last day "
        "(offboarding); negative for before it.",
    )
    competency_code = models.CharField(
        max_length=60, blank=True, help_text="Optional: the ladder competency it builds."
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "due_offset", "position"]

    def __str__(self) -> str:
        return self.title


class OnboardingPlan(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled: left before starting"

    class BuddyStatus(models.TextChoices):
        PENDING = "pending", "To be chosen"
        ASSIGNED = "assigned", "Assigned"
        NONE_AVAILABLE = "none", "No buddy available"

    new_hire = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding_plan"
    )
    start_date = models.DateField()
    timezone = models.CharField(max_length=64)
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_plans",
    )
    buddy_status = models.CharField(max_length=10, choices=BuddyStatus, default=BuddyStatus.PENDING)
    # A cancelled plan stays (history) but leaves every report, reminder and digest.
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    buddy_note = models.TextField(blank=True, help_text="Why no buddy, or why this one.")
    templates = models.JSONField(
        default=list, help_text="Names of the templates it was built from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    first_pairing_done_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Onboarding of {self.new_hire}"


class PlanTask(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"

    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="tasks")
    source_item = models.ForeignKey(
        TemplateItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind)
    assignee_role = models.CharField(max_length=12, choices=AssigneeRole)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="onboarding_tasks",
        help_text="Empty when the role has nobody yet.",
    )
    due_offset = models.SmallIntegerField()
    due_on = models.DateField()
    competency_code = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Pairing tasks: the new hire and the partner (the buddy or a named person)
    # each confirm and write a line; the task is done when both have.
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairing_tasks",
    )
    new_hire_done_at = models.DateTimeField(null=True, blank=True)
    new_hire_note = models.TextField(blank=True)
    partner_done_at = models.DateTimeField(null=True, blank=True)
    partner_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "position", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="onboarding_task_todo"),
            models.Index(fields=["status", "due_on"], name="onboarding_task_due"),
        ]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """One row per reminder sent; the unique key stops a retried or doubled
    daily task from sending it twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        ESCALATION = "escalation", "Escalation to the manager"
        NO_BUDDY = "no_buddy", "No buddy available"

    kind = models.CharField(max_length=12, choices=Kind)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(
        max_length=80, help_text="The day for digests, the task for escalations."
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    task_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "key"], name="onboarding_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} ({self.key})"


# --- Offboarding ----------------------------------------------------------------------
# Built from the same templates (purpose "offboarding") by the same rules, but
# its own two small tables: a plan is one per new hire with a buddy, pairing
# sides and a start date, which a leaver's checklist has none of.


class OffboardingChecklist(HistoryStamps, models.Model):
    """What the manager and the people team do before a person's last day."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled: they stayed"

    leaver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offboarding_checklists"
    )
    last_day = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    templates = models.JSONField(
        default=list, help_text="Names of the templates it was built from."
    )
    # One current checklist per leaver; a rehire makes it history, so leaving
    # again starts a new one.
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leaver"], condition=Q(current=True), name="onboarding_one_offboarding"
            ),
        ]

    def __str__(self) -> str:
        return f"Offboarding of {self.leaver}"


class OffboardingTask(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"

    checklist = models.ForeignKey(
        OffboardingChecklist, on_delete=models.CASCADE, related_name="tasks"
    )
    source_item = models.ForeignKey(
        TemplateItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee_role = models.CharField(max_length=12, choices=AssigneeRole)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offboarding_tasks",
        help_text="Empty for the people team's tasks: any member does them.",
    )
    due_offset = models.SmallIntegerField(help_text="Working days from the last day.")
    due_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "position", "id"]

    def __str__(self) -> str:
        return self.title
