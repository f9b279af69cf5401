"""Teams: created and renamed (SCIM groups and the admin)."""

from django.db import transaction

from ..errors import ApplicationError
from ..models import Team


@transaction.atomic
def team_create(*, name: str, parent: Team | None = None) -> Team:
    team = Team(name=name.strip(), parent=parent)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_rename(*, team: Team, name: str) -> bool:
    """Returns whether the name changed."""
    name = name.strip()
    if team.name == name:
        return False
    if Team.objects.filter(name=name).exclude(pk=team.pk).exists():
        raise ApplicationError(f"There is already a team named {name}.", field="name")
    team.name = name
    team.full_clean()
    team.save(update_fields=["name", "updated_at"])
    return True
