"""core's pages are for the people team; who that is, the access policy in
people/access.py decides (named in settings, as core imports no app)."""

from django.conf import settings
from django.utils.module_loading import import_string


def is_people_team(user) -> bool:
    return bool(import_string(settings.PEOPLE_TEAM_CHECK)(user))
