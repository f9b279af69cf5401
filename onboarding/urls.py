"""Onboarding URLs: each views module keeps its own patterns."""

from .views import checklist, offboarding, reporting

app_name = "onboarding"

urlpatterns = checklist.urlpatterns + reporting.urlpatterns + offboarding.urlpatterns
