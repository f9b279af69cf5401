"""Navigation that fits the role: engineer, manager, people team."""

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_manager": access.is_manager(user),
        "nav_is_people_team": access.is_people_team(user),
    }
