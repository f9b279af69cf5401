from django.apps import AppConfig


class LaddersConfig(AppConfig):
    name = "ladders"

    def ready(self):
        from people import audit

        from .audit import KINDS

        audit.register(*KINDS)
