"""Rotation cycles, sign-ups, match runs, pairings, check-ins and feedback.

A cycle moves draft -> open -> matching -> review -> published -> active ->
closed. Each match run proposes pairings; the people team locks, removes and
re-runs, then publishes the latest run. Published pairings never change.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from people.history import HistoryStamps
from people.history import MeaningfulHistoricalRecords as HistoricalRecords


class RotationCycle(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for sign-up"
        MATCHING = "matching", "Matching"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120, unique=True)
    theme = models.CharField(max_length=200, help_text="The quarter's theme, e.g. 'Reliability'.")
    description = models.TextField(blank=True)
    signup_opens_on = models.DateField()
    signup_closes_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)

    # Rules. Levels are compared by their position on the ladder.
    ladder = models.ForeignKey("ladders.Ladder", on_delete=models.PROTECT, related_name="+")
    mentor_min_level = models.CharField(
        max_length=40, help_text="Level code: mentors are at this level or above."
    )
    mentee_min_level = models.CharField(max_length=40, help_text="Lowest level code of mentees.")
    mentee_max_level = models.CharField(max_length=40, help_text="Highest level code of mentees.")
    min_level_gap = models.PositiveSmallIntegerField(
        default=1, help_text="A mentor is at least this many levels above the mentee."
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(default=1)
    require_cross_team = models.BooleanField(default=True)
    repeat_window = models.PositiveSmallIntegerField(
        default=2, help_text="A pair from this many previous cycles is not repeated."
    )
    max_mentees_per_team = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many mentees of one team are matched."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_closes_on__gte=F("signup_opens_on"))
                & Q(starts_on__gte=F("signup_closes_on"))
                & Q(ends_on__gt=F("starts_on")),
                name="mentorship_cycle_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def checkin_on(self):
        """Mid-cycle: when each pair is asked how it goes."""
        return self.starts_on + (self.ends_on - self.starts_on) / 2


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class SignUp(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Signed up"
        WITHDRAWN = "withdrawn", "Withdrawn"

    cycle = models.ForeignKey(RotationCycle, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rotation_signups"
    )
    role = models.CharField(max_length=10, choices=Role)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    competencies = models.ManyToManyField(
        "ladders.Competency",
        blank=True,
        related_name="+",
        help_text="Mentor: what they can teach. Mentee: their learning goals.",
    )
    goals = models.TextField(blank=True, help_text="Mentee: what they want to learn, in words.")
    # Mentor only
    capacity = models.PositiveSmallIntegerField(default=1)
    project_title = models.CharField(max_length=160, blank=True)
    project_outcome = models.TextField(blank=True, help_text="What the project should deliver.")
    hours_per_week = models.PositiveSmallIntegerField(default=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="mentorship_one_signup"),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.get_role_display().lower()} in {self.cycle}"


class Preference(models.Model):
    """A mentee's ranked wish for a mentor (1 = first choice)."""

    mentee = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="preferences")
    mentor = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="preferred_by")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["mentee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="mentorship_pref_once"),
            models.UniqueConstraint(fields=["mentee", "rank"], name="mentorship_pref_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} prefers {self.mentor_id} (#{self.rank})"


class MatchRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    cycle = models.ForeignKey(RotationCycle, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # participants, matched, total_score, average_score, seconds per phase
    figures = models.JSONField(default=dict, blank=True)
    # [{"signup": id, "person": name, "role": "mentee", "reason": "..."}]
    unmatched = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Match run {self.pk} of {self.cycle} ({self.get_status_display().lower()})"


class Pairing(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PUBLISHED = "published", "Published"

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairings")
    cycle = models.ForeignKey(RotationCycle, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(SignUp, on_delete=models.PROTECT, related_name="pairings_as_mentor")
    mentee = models.ForeignKey(SignUp, on_delete=models.PROTECT, related_name="pairings_as_mentee")
    score = models.FloatField()
    explanation = models.JSONField(default=list, help_text="Why this pair, in sentences.")
    locked = models.BooleanField(default=False, help_text="Kept as it is when the match is re-run.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PROPOSED)
    published_at = models.DateTimeField(null=True, blank=True)
    # A kick-off slot one of the pair proposed; empty: the cycle's first day
    # at the default slot in the mentee's zone.
    kickoff_at = models.DateTimeField(null=True, blank=True)
    # Flagged for the people team when one of the two leaves the organisation.
    left_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who of the two left the organisation.",
    )
    left_on = models.DateField(null=True, blank=True, help_text="Their last day.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-score"]
        constraints = [
            # A pairing someone left stays as history beside the mentee's new one.
            models.UniqueConstraint(
                fields=["run", "mentee"],
                condition=Q(left_person__isnull=True),
                name="mentorship_mentee_once_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.person} with {self.mentee.person}"


class PairExclusion(models.Model):
    """A pair the people team removed in review: not proposed again for the
    rest of the cycle, however often the match is re-run."""

    cycle = models.ForeignKey(RotationCycle, on_delete=models.CASCADE, related_name="exclusions")
    mentor = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "mentor", "mentee"], name="mentorship_exclude_pair_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.person} with {self.mentee.person} removed from {self.cycle}"


class CheckIn(models.Model):
    """Mid-cycle: each person in a pair says how it goes."""

    class Mood(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        SLOW = "slow", "Slower than hoped"
        STUCK = "stuck", "Stuck: we need help"

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mood = models.CharField(max_length=10, choices=Mood, blank=True)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "person"], name="mentorship_checkin_once"),
        ]

    def __str__(self) -> str:
        return f"Check-in of {self.person} on {self.pairing}"


class Feedback(models.Model):
    """Private to its author; the people team sees aggregates over >= 5 answers."""

    class Landed(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project_landed = models.CharField(max_length=10, choices=Landed)
    learned = models.TextField(help_text="What did you learn?")
    would_pair_again = models.BooleanField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "author"], name="mentorship_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.pairing_id}"


class Notification(models.Model):
    """One row per email sent: the unique key is what keeps a retried or
    doubled task from sending the same email twice."""

    key = models.CharField(max_length=120, help_text="event:object, e.g. published:pairing-12")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="mentorship_notify_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient_id}"
