"""Who may see what: the one place views, selectors and the admin ask.

The default policy (DESIGN.md): a person's private records (level,
assessments, evidence, rotation sign-ups, onboarding plan) are seen by the
person, their manager chain and the people team; nobody else. A page that
someone may not see answers 404, so it does not reveal that the record exists.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from .models import User
from .selectors import manager_chain_ids, person_get

# The one text of every 404: "does not exist" and "not yours" must read the same,
# or the difference tells an outsider which ids exist.
T = TypeVar("T")

NOT_FOUND = "No such page."  # the same words as core/views.py, which may not import people


def is_people_team(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_people_team", None)
    if cached is None:
        cached = user.groups.filter(name=settings.PEOPLE_TEAM_GROUP).exists()
        user._is_people_team = cached
    return cached


def is_manager(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_manager", None)
    if cached is None:
        cached = User.objects.filter(manager=user, is_active=True).exists()
        user._is_manager = cached
    return cached


def is_in_manager_chain(viewer, person: User) -> bool:
    """True if the viewer manages the person, directly or further up."""
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return False
    if person.manager_id == viewer.pk:  # the common case needs no query
        return True
    return viewer.pk in manager_chain_ids(person_id=person.pk)


def can_view_private(viewer, person: User) -> bool:
    """The person, their manager chain and the people team."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return viewer.pk == person.pk or is_people_team(viewer) or is_in_manager_chain(viewer, person)


def can_view_profile(viewer, person: User) -> bool:
    """The directory entry (name, title, team, reporting line): any colleague.
    People who left are shown to the people team only."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return person.is_active or is_people_team(viewer)


def can_read_audit_log(viewer, person: User | None = None) -> bool:
    """Who changed what about people, and when: the people team only."""
    return is_people_team(viewer)


def can_manage_people(viewer) -> bool:
    """Import people, send invitations, edit reporting lines."""
    return is_people_team(viewer)


def not_found() -> Http404:
    """The 404 every page answers, for a record that is not there or not theirs."""
    return Http404(NOT_FOUND)


def require(allowed: bool) -> None:
    """Turn a refusal into the 404 every page answers."""
    if not allowed:
        raise not_found()


def found_or_404(
    load: Callable[[], T],
    missing: type[ObjectDoesNotExist],
    may_see: Callable[[T], bool] | None = None,
) -> T:
    """What ``load()`` finds, if ``may_see`` lets the viewer see it; the 404 if
    it raises ``missing`` or they may not, so both look the same from outside."""
    try:
        found = load()
    except missing:
        raise not_found() from None
    require(may_see is None or may_see(found))
    return found


def person_or_404(viewer, person_id: int, rule=can_view_profile) -> User:
    """The person if the rule lets the viewer see them (found_or_404)."""
    return found_or_404(
        lambda: person_get(person_id=person_id),
        User.DoesNotExist,
        lambda person: rule(viewer, person),
    )
