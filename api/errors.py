"""One JSON error shape for every failure of the REST API:

    {"status": 400, "code": "invalid", "message": "email: Enter a valid email address.",
     "fields": {"email": ["Enter a valid email address."]}}

`fields` names each field that is wrong (nested ones as `people[3].email`)
and is present only for validation errors.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler

from core.errors import ApplicationError


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"a.b[0].c": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = key if key != "non_field_errors" else "non_field_errors"
            out.update(flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return out
    if isinstance(detail, list) and detail and isinstance(detail[0], (dict, list)):
        out = {}
        for index, value in enumerate(detail):
            if value:
                out.update(flatten(value, f"{prefix}[{index}]"))
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def _as_drf(exc):
    if isinstance(exc, ApplicationError):
        return exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    return exc


def json_exception_handler(exc, context):
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handling and logging take over
    body = {"status": response.status_code, "code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        body["message"] = "; ".join(
            f"{name}: {' '.join(msgs)}" if name != "non_field_errors" else " ".join(msgs)
            for name, msgs in fields.items()
        )
        body["fields"] = fields
    else:
        body["message"] = str(getattr(exc, "detail", exc))
    response.data = body
    return response


def _code(exc) -> str:
    codes = getattr(exc, "default_code", None)
    return codes or "error"
