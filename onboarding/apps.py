from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"

    def ready(self):
        from people import audit

        from .audit import KINDS

        audit.register(*KINDS)
