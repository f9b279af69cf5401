"""Rotation URLs: each views module keeps its own patterns."""

from .views import cycle, health, review, signup

app_name = "mentorship"

urlpatterns = cycle.urlpatterns + signup.urlpatterns + review.urlpatterns + health.urlpatterns
