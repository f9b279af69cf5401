"""Factories for people and teams."""

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from people.models import Team, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    title = "Software Engineer"
    team = factory.SubFactory(TeamFactory)
    timezone = "Europe/London"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class PeopleTeamFactory(UserFactory):
    """A member of the people team (HR): admin access through the group."""

    title = "People Partner"
    is_staff = True

    @factory.post_generation
    def people_team_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=settings.PEOPLE_TEAM_GROUP)
            self.groups.add(group)


# --- the admin's person forms, as posted -------------------------------------------------


def admin_add_form(org, **changes) -> dict:
    """The admin's "add person" form for Ada Added, an engineer in Payments
    under org.manager starting 1 December 2026 in Berlin."""
    return {
        "email": "added@example.com",
        "name": "Ada Added",
        "title": "Engineer",
        "team": org.payments.pk,
        "manager": org.manager.pk,
        "start_date": "2026-12-01",
        "timezone": "Europe/Berlin",
        **changes,
    }


def admin_change_form(person, **changes) -> dict:
    """The admin's change form of the person as it stands, with these changes
    (a change to None leaves the field out)."""
    data = {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "team": person.team_id or "",
        "manager": person.manager_id or "",
        "employee_id": person.employee_id or "",
        "start_date": person.start_date or "",
        "end_date": person.end_date or "",
        "timezone": person.timezone,
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
    }
    if person.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
