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
