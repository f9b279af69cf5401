"""Tells drf-spectacular how our bearer tokens look, so the schema and the
docs page offer an Authorize button for them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from the admin (API tokens) or `manage.py api_token create`.",
        }
