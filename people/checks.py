"""Start-up check: every lifecycle subscriber named in settings imports, so a
typo stops `manage.py check` instead of silently skipping a hand-over."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .hooks import EVENTS


@register()
def lifecycle_subscribers_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for event, paths in settings.PERSON_LIFECYCLE_SUBSCRIBERS.items():
        if event not in EVENTS:
            errors.append(
                Error(
                    f"PERSON_LIFECYCLE_SUBSCRIBERS names an unknown event {event!r}.",
                    hint=f"Known events: {', '.join(EVENTS)}.",
                    id="people.E001",
                )
            )
        for path in paths:
            try:
                import_string(path)
            except ImportError as error:
                errors.append(
                    Error(
                        f"The {event} subscriber {path!r} cannot be imported: {error}",
                        id="people.E002",
                    )
                )
    return errors
