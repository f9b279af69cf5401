"""People as SCIM Users and teams as SCIM Groups (RFC 7643), and SCIM
payloads and PATCH operations (RFC 7644 3.5.2) as rows for api/sync.py.

Mapping: userName and the work email are the person's email (their sign-in);
name.formatted/displayName the name; title; timezone; active; externalId is
kept as sent (api.ScimIdentity); the enterprise extension's employeeNumber is
the employee id and its manager.value our id of the manager. A Group is a
team; a person is in one team, so adding them to a group moves them.
"""

from typing import Any

from django.urls import reverse

from people.models import Team, User

from .errors import ScimError

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _split(name: str) -> tuple[str, str]:
    given, _, family = name.partition(" ")
    return given, family


def _meta(request, kind: str, name: str, pk: int, created, modified) -> dict:
    return {
        "resourceType": kind,
        "created": created.isoformat() if created else None,
        "lastModified": modified.isoformat() if modified else None,
        "location": request.build_absolute_uri(reverse(name, args=[pk])),
    }


def user_resource(request, person: User) -> dict:
    given, family = _split(person.name)
    identity = getattr(person, "scim_identity", None)
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "id": str(person.pk),
        "userName": person.email,
        "name": {"formatted": person.name, "givenName": given, "familyName": family},
        "displayName": person.name,
        "title": person.title,
        "timezone": person.timezone,
        "active": person.is_active,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        ENTERPRISE: {"employeeNumber": person.employee_id or ""},
        "meta": _meta(
            request, "User", "scim:user", person.pk, person.date_joined, person.updated_at
        ),
    }
    if person.manager_id:
        resource[ENTERPRISE]["manager"] = {"value": str(person.manager_id)}
    if identity is not None:
        resource["externalId"] = identity.external_id
    return resource


def group_resource(request, team: Team, *, members: list[User] | None) -> dict:
    resource = {
        "schemas": [GROUP_SCHEMA],
        "id": str(team.pk),
        "displayName": team.name,
        "meta": _meta(request, "Group", "scim:group", team.pk, None, team.updated_at),
    }
    if members is not None:
        resource["members"] = [
            {"value": str(m.pk), "display": m.email, "type": "User"} for m in members
        ]
    return resource


def as_bool(value) -> bool:
    """Entra ID sends "True"/"False" as strings in PATCH; JSON booleans elsewhere."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ScimError(
        400, f"'active' must be true or false, not {value!r}.", scim_type="invalidValue"
    )


# --- Users: a flat state that both PUT and PATCH edit ----------------------------

USER_KEYS = {
    "username": "userName",
    "displayname": "displayName",
    "name.formatted": "name.formatted",
    "name.givenname": "name.givenName",
    "name.familyname": "name.familyName",
    "title": "title",
    "timezone": "timezone",
    "active": "active",
    "externalid": "externalId",
    "emails": "emails",
    'emails[type eq "work"].value': "email",
    "emails[primary eq true].value": "email",
    "employeenumber": "employeeNumber",
    "manager": "manager",
    "manager.value": "manager",
}


def _key(path: str) -> str | None:
    lowered = path.strip().lower()
    prefix = ENTERPRISE.lower() + ":"
    if lowered.startswith(prefix):
        lowered = lowered[len(prefix) :]
    return USER_KEYS.get(lowered)


def user_state(person: User) -> dict:
    given, family = _split(person.name)
    identity = getattr(person, "scim_identity", None)
    return {
        "userName": person.email,
        "name.formatted": person.name,
        "name.givenName": given,
        "name.familyName": family,
        "displayName": person.name,
        "title": person.title,
        "timezone": person.timezone,
        "active": person.is_active,
        "externalId": identity.external_id if identity else None,
        "employeeNumber": person.employee_id,
        "manager": str(person.manager_id) if person.manager_id else None,
        "email": None,
    }


def _set(state: dict, changed: set, path: str, value) -> None:
    """Set one attribute from a path or a key of a value object; nested objects
    (name, the enterprise extension) are walked. Unknown attributes are
    ignored, as Okta and Entra send some we do not keep (locale, roles...)."""
    if path.lower() == ENTERPRISE.lower() and isinstance(value, dict):
        for key, inner in value.items():
            _set(state, changed, key, inner)
        return
    if path.lower() == "name" and isinstance(value, dict):
        for key, inner in value.items():
            _set(state, changed, f"name.{key}", inner)
        return
    key = _key(path)
    if key is None:
        return
    if key == "emails":
        value = _primary_email(value)
        key = "email"
    if key == "manager" and isinstance(value, dict):
        value = value.get("value")
    if key == "active":
        value = as_bool(value)
    state[key] = value
    changed.add(key)


def _primary_email(emails) -> str | None:
    if not isinstance(emails, list) or not emails:
        return None
    for email in emails:
        if isinstance(email, dict) and (email.get("primary") in (True, "true", "True")):
            return email.get("value")
    work = [e for e in emails if isinstance(e, dict) and e.get("type") == "work"]
    return (work or emails)[0].get("value") if isinstance((work or emails)[0], dict) else None


def state_from_payload(payload: dict) -> tuple[dict, set]:
    """A PUT or POST body as a state, and which attributes it named."""
    if not isinstance(payload, dict):
        raise ScimError(400, "The body must be a JSON object.", scim_type="invalidSyntax")
    state: dict = {}
    changed: set = set()
    for key, value in payload.items():
        if key in ("schemas", "meta", "id"):
            continue
        _set(state, changed, key, value)
    return state, changed


def apply_patch(state: dict, payload: dict) -> set:
    """Apply a PatchOp to the state; returns the attributes touched. Takes
    operations with a path and, as Entra and Okta send them, without one
    (the value is then an object of attributes); op names in any case."""
    operations = payload.get("Operations") if isinstance(payload, dict) else None
    if not isinstance(operations, list):
        raise ScimError(400, "A PatchOp needs an 'Operations' list.", scim_type="invalidSyntax")
    changed: set = set()
    for operation in operations:
        op = str(operation.get("op", "")).lower()
        path, value = operation.get("path"), operation.get("value")
        if op not in {"add", "replace", "remove"}:
            raise ScimError(400, f"Unknown op {operation.get('op')!r}.", scim_type="invalidSyntax")
        if op == "remove":
            if not path:
                raise ScimError(400, "'remove' needs a path.", scim_type="noTarget")
            _set(state, changed, path, None if _key(path) != "active" else False)
        elif path:
            _set(state, changed, path, value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                _set(state, changed, key, inner)
        else:
            raise ScimError(
                400, "An operation without a path needs an object value.", scim_type="invalidValue"
            )
    return changed


def row_from_state(state: dict, changed: set, *, replace: bool) -> dict:
    """The state as a row for api/sync.py: only what changed for PATCH, every
    attribute we keep for PUT and POST (a PUT that leaves a title out clears it)."""
    row: dict = {}

    def wanted(*keys: str) -> bool:
        return replace or any(k in changed for k in keys)

    email = _email_from(state, changed)
    if wanted("userName", "email"):
        if not email:
            raise ScimError(
                400,
                "userName must be an email address (or send a work email).",
                scim_type="invalidValue",
            )
        row["email"] = email
    if wanted("displayName", "name.formatted", "name.givenName", "name.familyName"):
        name = _name_from(state, changed)
        if not name:
            raise ScimError(
                400, "A user needs a name (name or displayName).", scim_type="invalidValue"
            )
        row["name"] = name
    if wanted("title"):
        row["title"] = state.get("title") or ""
    if "timezone" in changed and state.get("timezone"):
        row["timezone"] = state["timezone"]
    if wanted("active") and state.get("active") is not None:
        row["active"] = state["active"]
    if wanted("employeeNumber"):
        row["employee_id"] = state.get("employeeNumber") or None
    if "manager" in changed:
        row["manager_id"] = state.get("manager")
    return row


def _email_from(state: dict, changed: set) -> str | None:
    """userName when it is an email (Okta, and Entra's UPN most often), else
    the work email; a PATCH of the work email alone changes the email."""
    user_name = state.get("userName") or ""
    if "@" in user_name and ("userName" in changed or "email" not in changed):
        return user_name
    return state.get("email") or (user_name if "@" in user_name else None)


def _name_from(state: dict, changed: set) -> str:
    parts = " ".join(p for p in (state.get("name.givenName"), state.get("name.familyName")) if p)
    if "displayName" in changed and state.get("displayName"):
        return state["displayName"].strip()
    if "name.formatted" in changed and state.get("name.formatted"):
        return state["name.formatted"].strip()
    return parts.strip() or (state.get("displayName") or state.get("name.formatted") or "").strip()
