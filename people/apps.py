from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"

    def ready(self):
        from . import audit, checks  # noqa: F401  checks registers itself

        audit.register(*audit.people_kinds())
