"""A person's secret feed token, and what the feed last looked like (so a
conditional request can answer 304 with a true Last-Modified)."""

from django.conf import settings
from django.db import models


class FeedToken(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A digest of the feed's items, and when it last changed: the ETag and
    # the Last-Modified of the feed.
    fingerprint = models.CharField(max_length=64, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
