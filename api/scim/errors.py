"""SCIM's error body (RFC 7644 3.12): status as a string, scimType when one fits."""

from rest_framework import exceptions
from rest_framework.response import Response

from core.errors import ApplicationError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, *, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def error_body(status: int, detail: str, scim_type: str | None = None) -> dict:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def scim_exception_handler(exc, context):
    headers = {}
    if isinstance(exc, ScimError):
        status, detail, scim_type = exc.status, exc.detail, exc.scim_type
    elif isinstance(exc, ApplicationError):
        uniqueness = "already" in exc.message
        status = 409 if uniqueness else 400
        detail = exc.message
        scim_type = "uniqueness" if uniqueness else "invalidValue"
    elif isinstance(exc, exceptions.APIException):
        status, detail, scim_type = exc.status_code, str(exc.detail), None
        if isinstance(exc, exceptions.ParseError):
            scim_type = "invalidSyntax"
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            headers["Retry-After"] = str(int(exc.wait))
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="scim"'
    else:
        return None
    return Response(error_body(status, detail, scim_type), status=status, headers=headers)
