"""API tokens for the REST API and SCIM provisioning. A token is shown once;
only a short public prefix (to find it) and a SHA-256 of the whole are kept."""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read (GET on /api/v1/)"
    WRITE = "write", "Write (changes on /api/v1/)"
    SCIM = "scim", "SCIM provisioning (/scim/v2/)"


class ApiToken(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="Who uses it, e.g. 'Okta'.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list, help_text="Some of: read, write, scim.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class ScimIdentity(models.Model):
    """The identity provider's own id for a person (SCIM's externalId), kept
    as it was sent, as RFC 7643 asks; our id stays the person's id."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_identity"
    )
    external_id = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.external_id}"
