from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"

    def ready(self):
        from . import checks  # noqa: F401  registers the wiring checks with Django
