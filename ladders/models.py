"""Career ladders and where people stand on them.

A ladder has revisions. The people team edits the one draft revision and
publishes it; a published revision never changes, so placements and
assessments made against it keep showing what was expected then.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from people.history import HistoryStamps
from people.history import MeaningfulHistoricalRecords as HistoricalRecords


class Track(models.TextChoices):
    IC = "ic", "Individual contributor"
    MANAGER = "manager", "Manager"


class Ladder(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What changed since the previous published revision, in words (see services).
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["ladder", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "number"], name="ladders_revision_number"),
            models.UniqueConstraint(
                fields=["ladder"], condition=Q(status="draft"), name="ladders_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ladder} r{self.number} ({self.get_status_display().lower()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Level(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    track = models.CharField(max_length=10, choices=Track, default=Track.IC)
    position = models.PositiveIntegerField(help_text="Lowest first.")
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="ladders_level_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competency(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="competencies")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    theme = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["revision", "position", "theme", "name"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="ladders_competency_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Expectation(models.Model):
    """What good looks like for one competency at one level."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="expectations")
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expectations"
    )
    text = models.TextField()
    examples = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["level__position", "competency__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "competency"], name="ladders_expectation_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level.code} / {self.competency.code}"


class Placement(HistoryStamps, models.Model):
    """A person's level from a date on; the latest is current, older rows are history."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements"
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="placements")
    since = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-since", "-id"]
        get_latest_by = ["since", "id"]

    def __str__(self) -> str:
        return f"{self.person} at {self.level.code} since {self.since}"


class Rating(models.IntegerChoices):
    """The documented scale, relative to the person's own level."""

    NOT_YET = 1, "1 · Not yet: rarely shows what the level expects"
    DEVELOPING = 2, "2 · Developing: sometimes meets the level"
    MEETS = 3, "3 · Meets: consistently does what the level expects"
    EXCEEDS = 4, "4 · Exceeds: already works as the next level expects"


MEETS_LEVEL = Rating.MEETS
MEETS_NEXT_LEVEL = Rating.EXCEEDS


class Assessment(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        REVIEW = "review", "Both submitted: manager to finalise"
        FINAL = "final", "Finalised"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments_to_give",
        help_text="Who writes the manager's side and finalises.",
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="The manager's closing note.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="final"), name="ladders_one_open_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.person} ({self.started_at:%b %Y})"


class Side(models.TextChoices):
    SELF = "self", "Self"
    MANAGER = "manager", "Manager"


class CompetencyRating(HistoryStamps, models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side)
    rating = models.PositiveSmallIntegerField(choices=Rating, null=True, blank=True)
    evidence = models.TextField(blank=True)
    stretch = models.ForeignKey(
        "StretchParticipation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_in",
        help_text="A completed stretch assignment as evidence.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency", "side"], name="ladders_rating_cell"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4),
                name="ladders_rating_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} rating of {self.competency_id}: {self.rating}"


class StretchAssignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=160)
    description = models.TextField()
    competencies = models.ManyToManyField(Competency, related_name="stretch_assignments")
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stretch_posted"
    )
    hours_per_week = models.PositiveSmallIntegerField()
    seats = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField()
    ends_on = models.DateField()
    cross_functional = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="ladders_stretch_seats"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="ladders_stretch_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StretchParticipation(HistoryStamps, models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    HOLDS_SEAT = (Status.APPLIED, Status.ACCEPTED)
    ACTIVE = (Status.ACCEPTED,)

    assignment = models.ForeignKey(
        StretchAssignment, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stretch_participations"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.APPLIED)
    motivation = models.TextField(blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What was done and learned.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "person"], name="ladders_one_participation_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.assignment}"


class AssessmentRequest(models.Model):
    """An engineer asking their manager for an assessment, or telling them
    they started a self-assessment. Its manager is emailed once: the email
    task claims the row by setting ``notified_at``."""

    class Kind(models.TextChoices):
        ASK = "ask", "Asked for an assessment"
        STARTED = "started", "Started a self-assessment"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_requests"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_requests_in"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.TextField(blank=True, help_text="Why now, in the person's words.")
    assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The assessment started: by the person, or in answer to the request.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="ask", answered_at__isnull=True),
                name="ladders_one_open_assessment_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display().lower()}"

    @property
    def is_open(self) -> bool:
        return self.kind == self.Kind.ASK and self.answered_at is None
