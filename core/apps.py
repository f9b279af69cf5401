from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Background work"

    def ready(self) -> None:
        # Registers the job runner with Celery before anything sends a job.
        from . import tasks  # noqa: F401
