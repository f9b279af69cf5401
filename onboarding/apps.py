from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"

    def ready(self):
        from people import audit

        from .audit import KINDS

        audit.register(*KINDS)

        # people/hooks.py calls it once people are added: a plan for each new hire.
        from people import hooks

        from .services.plans import plans_create_later

        if plans_create_later not in hooks.PERSON_ADDED_HANDLERS:
            hooks.PERSON_ADDED_HANDLERS.append(plans_create_later)

        # ... and once someone's manager changes: no buddy in a manager chain.
        from .services.buddies import buddies_out_of_manager_chains

        if buddies_out_of_manager_chains not in hooks.MANAGER_CHANGED_HANDLERS:
            hooks.MANAGER_CHANGED_HANDLERS.append(buddies_out_of_manager_chains)
