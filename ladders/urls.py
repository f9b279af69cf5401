"""Ladder URLs: each views module keeps its own patterns."""

from .views import assessments, ladder, stretch

app_name = "ladders"

urlpatterns = ladder.urlpatterns + assessments.urlpatterns + stretch.urlpatterns
