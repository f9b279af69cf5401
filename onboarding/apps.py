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

        # ... and once people change: no buddy in a new manager chain, and a
        # plan's start date (and its open tasks' due dates) follows the person's.
        from .services.buddies import buddies_out_of_manager_chains
        from .services.plans import plans_follow_start_dates

        for handler in (buddies_out_of_manager_chains, plans_follow_start_dates):
            if handler not in hooks.PERSON_CHANGED_HANDLERS:
                hooks.PERSON_CHANGED_HANDLERS.append(handler)
