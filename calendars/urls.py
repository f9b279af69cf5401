"""Calendar feed URLs."""

from .views import urlpatterns

app_name = "calendars"

__all__ = ["app_name", "urlpatterns"]
