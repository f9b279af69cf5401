"""Where people want to hear from us, the calendar invitations we sent (so an
update keeps its UID and raises its SEQUENCE), and Slack messages, one row
per message so each is sent once."""

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SLACK = "slack", "Slack"
    BOTH = "both", "Email and Slack"


class ContactPreference(models.Model):
    """A person's choice of channel; no row means the default (both)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference"
    )
    channel = models.CharField(max_length=8, choices=Channel, default=Channel.BOTH)

    def __str__(self) -> str:
        return f"{self.person}: {self.get_channel_display()}"


class CalendarInvitation(models.Model):
    """One event we invited people to. Calendars match updates by UID and keep
    the one with the highest SEQUENCE: an update must reuse both."""

    uid = models.CharField(max_length=200, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    # Who was invited (sorted emails, one a line): a partner replaced (a
    # buddy who left) is a change too, re-sent to everyone with SEQUENCE + 1.
    attendees = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.summary} ({self.uid}, #{self.sequence})"


class SlackUser(models.Model):
    """users.lookupByEmail's answer, kept so a cycle with thousands of people
    does not look each up for every message; dropped when Slack refuses it."""

    email = models.EmailField(unique=True)
    slack_id = models.CharField(max_length=32)
    looked_up_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.email} = {self.slack_id}"


class SlackMessage(models.Model):
    """One Slack message: to people (a DM, or a group DM for several) or to a
    channel. The unique key is recorded before sending, so a job run twice or
    two workers racing send it once."""

    class Status(models.TextChoices):
        PENDING = "pending", "To send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=40, help_text="e.g. pairing_published, buddy_intro")
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    channel = models.CharField(max_length=80, blank=True, help_text="A channel instead of people.")
    text = models.TextField()
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    error = models.TextField(blank=True)
    slack_ts = models.CharField(max_length=40, blank=True, help_text="Slack's id of the message.")
    # A message for later (the buddy introduction on the first day): the
    # sweep hands it to a worker once this has passed.
    send_after = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="Handed to a worker.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="messaging_slack_status")]

    def __str__(self) -> str:
        return f"Slack {self.kind} ({self.get_status_display().lower()})"


class EmailSent(models.Model):
    """One row per email sent by messaging's senders (invitations): the
    unique key keeps a rerun or a doubled job from sending it twice."""

    key = models.CharField(max_length=160)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="messaging_email_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient_id}"


class MessageText(models.Model):
    """The people team's own words for one kind of message (see messaging/kinds.py)."""

    kind = models.CharField(max_length=40, unique=True)
    subject = models.CharField(
        max_length=200, blank=True, help_text="Emails only; empty keeps the default subject."
    )
    body = models.TextField(
        help_text="Django template syntax with the placeholders listed below, e.g. "
        "{{ new_hire.name }}, {{ manager.name }}, {{ team }}, {{ link }}."
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The default's fingerprint (messaging.texts.default_fingerprint) when this
    # text was last saved in the admin, so the admin can say when the default
    # changed since. A hash, not the default's words: the only question is
    # "still the same?", the page already shows today's default beside the
    # text, and older defaults are in the repository's history. Empty:
    # saved before we recorded it, unknown, shown as "may have changed".
    default_seen = models.CharField(max_length=16, blank=True, default="", editable=False)
    # When these words first failed as they were filled in for someone since
    # they were saved, and why (messaging.texts._render sent the default words
    # instead): shown in the admin until the text is saved again.
    failed = models.TextField(blank=True, default="", editable=False)

    def __str__(self) -> str:
        return self.kind


class QueuedEmail(models.Model):
    """One email of a notice (messaging/notify.py), recorded with the change
    that causes it and sent by its own job: the unique key keeps a rerun from
    recording it twice, the claimed row keeps two workers from sending it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "To send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=250)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Email {self.kind} to {self.recipient_id} ({self.get_status_display().lower()})"
