"""Start-up checks: every dotted path in the cross-app wiring (config/wiring.py)
imports, so a typo stops `manage.py check` instead of silently skipping a
hand-over, an audit kind or a kind of commitment, or failing every invitation."""

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


@register()
def wiring_paths_check(app_configs, **kwargs) -> list[Error]:
    named = [("AUDIT_KINDS", path, "people.E003") for path in settings.AUDIT_KINDS]
    named += [("COMMITMENT_SOURCES", path, "people.E004") for path in settings.COMMITMENT_SOURCES]
    named += [("INVITATION_EMAIL", settings.INVITATION_EMAIL, "people.E005")]
    errors = []
    for setting, path, code in named:
        try:
            import_string(path)
        except ImportError as error:
            errors.append(
                Error(f"{setting} names {path!r}, which cannot be imported: {error}", id=code)
            )
    return errors
