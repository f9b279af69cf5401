from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"

    def ready(self):
        from people import audit

        from .audit import KINDS

        audit.register(*KINDS)

        # Ladders may not import mentorship (dependencies point one way), so
        # rotations join the concurrent-commitment count from this side.
        from ladders.selectors import commitments

        from .selectors.commitments import ROTATIONS

        commitments.register(ROTATIONS)
