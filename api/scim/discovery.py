"""What this SCIM service offers (RFC 7644 section 4, RFC 7643 sections 5-7)."""

from django.urls import reverse

from .resources import ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA

MAX_RESULTS = 1000  # the most a list answers in one page (count)

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RT_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def service_provider_config(request) -> dict:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": request.build_absolute_uri("/api/docs/"),
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token with the scim scope (admin: API tokens).",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": request.build_absolute_uri()},
    }


def resource_types(request) -> list[dict]:
    return [
        {
            "schemas": [RT_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person in the organisation",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {
                "resourceType": "ResourceType",
                "location": request.build_absolute_uri(
                    reverse("scim:resource_type", args=["User"])
                ),
            },
        },
        {
            "schemas": [RT_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A team",
            "schema": GROUP_SCHEMA,
            "meta": {
                "resourceType": "ResourceType",
                "location": request.build_absolute_uri(
                    reverse("scim:resource_type", args=["Group"])
                ),
            },
        },
    ]


def _attr(
    name,
    kind="string",
    *,
    required=False,
    multi=False,
    mutability="readWrite",
    uniqueness="none",
    sub=None,
    description="",
):
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    }
    if sub:
        attribute["subAttributes"] = sub
    return attribute


def schemas() -> list[dict]:
    user = [
        _attr(
            "userName",
            required=True,
            uniqueness="server",
            description="The work email; the sign-in.",
        ),
        _attr("name", "complex", sub=[_attr("formatted"), _attr("givenName"), _attr("familyName")]),
        _attr("displayName"),
        _attr("title"),
        _attr("timezone"),
        _attr("active", "boolean", description="false: the person has left."),
        _attr(
            "emails",
            "complex",
            multi=True,
            sub=[_attr("value"), _attr("type"), _attr("primary", "boolean")],
        ),
    ]
    group = [
        _attr("displayName", required=True, uniqueness="server", description="The team's name."),
        _attr(
            "members",
            "complex",
            multi=True,
            sub=[
                _attr("value", mutability="immutable"),
                _attr("display", mutability="readOnly"),
            ],
        ),
    ]
    enterprise = [
        _attr("employeeNumber", description="The HR system's employee id."),
        _attr("manager", "complex", sub=[_attr("value", description="The manager's id here.")]),
    ]
    return [
        _schema(USER_SCHEMA, "User", user),
        _schema(GROUP_SCHEMA, "Group", group),
        _schema(ENTERPRISE, "EnterpriseUser", enterprise),
    ]


def _schema(urn: str, name: str, attributes: list[dict]) -> dict:
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": urn,
        "name": name,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": f"/scim/v2/Schemas/{urn}"},
    }
