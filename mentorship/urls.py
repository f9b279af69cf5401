"""Rotation URLs: each views module keeps its own patterns."""

from .views import cycle, health, kickoff, review, signup

app_name = "mentorship"

urlpatterns = (
    cycle.urlpatterns
    + signup.urlpatterns
    + review.urlpatterns
    + kickoff.urlpatterns
    + health.urlpatterns
)
