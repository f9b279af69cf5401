"""SCIM 2.0 endpoints (RFC 7644) for Okta, Entra ID and other identity
providers. Bearer tokens with the `scim` scope; every write goes through
api/sync.py and people/services/, so a provisioned person starts
onboarding and a deprovisioned one leaves exactly as from the admin."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from people.models import Team, User
from people.services.lifecycle import person_deactivate, person_update
from people.services.teams import team_create, team_rename

from ..models import Scope
from ..services import scim_external_id_set
from ..sync import CREATED, RowError, people_upsert
from . import discovery
from .errors import ScimError, scim_exception_handler
from .filters import parse_filter
from .resources import (
    LIST_SCHEMA,
    apply_patch,
    group_resource,
    row_from_state,
    state_from_payload,
    user_resource,
    user_state,
)

MAX_COUNT = discovery.MAX_RESULTS


class ScimJSONParser(JSONParser):
    media_type = "application/scim+json"


class ScimJSONRenderer(JSONRenderer):
    media_type = "application/scim+json"


@extend_schema(exclude=True)
class ScimView(APIView):
    token_scope = Scope.SCIM
    parser_classes = [ScimJSONParser, JSONParser]
    renderer_classes = [ScimJSONRenderer, JSONRenderer]
    pagination_class = None

    def get_exception_handler(self):
        return scim_exception_handler


def _page(request) -> tuple[int, int]:
    """startIndex is 1-based; values below 1 count as 1 (RFC 7644 3.4.2.4)."""
    try:
        start = max(int(request.query_params.get("startIndex", 1)), 1)
        count = min(max(int(request.query_params.get("count", 100)), 0), MAX_COUNT)
    except ValueError:
        raise ScimError(
            400, "startIndex and count are integers.", scim_type="invalidValue"
        ) from None
    return start, count


def _list(resources: list[dict], total: int, start: int) -> Response:
    return Response(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


# --- Users -----------------------------------------------------------------------

USER_FILTERS = {
    "username": "email__iexact",
    "emails.value": "email__iexact",
    'emails[type eq "work"].value': "email__iexact",
    "externalid": "scim_identity__external_id",
    "id": "pk",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeenumber": "employee_id",
    "employeenumber": "employee_id",
    "active": "is_active",
}


def _users():
    return User.objects.select_related("scim_identity").order_by("pk")


def _user_filter(text: str) -> Q:
    query = Q()
    for attribute, value in parse_filter(text):
        lookup = USER_FILTERS.get(attribute.lower())
        if lookup is None:
            raise ScimError(
                400, f"Users cannot be filtered by {attribute}.", scim_type="invalidFilter"
            )
        if lookup == "pk" and not str(value).isdigit():
            return Q(pk__in=[])
        query &= Q(**{lookup: value})
    return query


def _manager_email(row: dict) -> None:
    """SCIM names a manager by our id; the sync takes it as manager_id."""
    if "manager_id" in row and row["manager_id"] and not str(row["manager_id"]).isdigit():
        raise ScimError(400, f"No user with id {row['manager_id']}.", scim_type="invalidValue")


def _save_user(row: dict, external_id, *, touch_external: bool, create: bool) -> User:
    _manager_email(row)
    try:
        (outcome,) = people_upsert(rows=[row], create=create)
    except RowError as error:
        taken = "already" in error.message
        raise ScimError(
            409 if taken else 400,
            f"{error.field}: {error.message}",
            scim_type="uniqueness" if taken else "invalidValue",
        ) from None
    if create and outcome.status != CREATED:
        # POST creates only (RFC 7644 3.3); raised inside the caller's
        # transaction, so the update the sync just made is rolled back.
        raise ScimError(
            409, f"A user with userName {row['email']} already exists.", scim_type="uniqueness"
        )
    if touch_external:
        scim_external_id_set(person=outcome.person, external_id=external_id, new=create)
    return outcome.person


class UsersView(ScimView):
    def get(self, request):
        start, count = _page(request)
        people = _users().filter(_user_filter(request.query_params.get("filter", "")))
        total = people.count()
        page = list(people[start - 1 : start - 1 + count]) if count else []
        return _list([user_resource(request, p) for p in page], total, start)

    def post(self, request):
        state, changed = state_from_payload(request.data)
        row = row_from_state(state, changed, replace=True)
        with transaction.atomic():
            person = _save_user(
                row, state.get("externalId"), touch_external="externalId" in changed, create=True
            )
        person = _users().get(pk=person.pk)
        response = Response(user_resource(request, person), status=201)
        response["Location"] = user_resource(request, person)["meta"]["location"]
        return response


class UserView(ScimView):
    def _person(self, pk) -> User:
        if not str(pk).isdigit():
            raise ScimError(404, f"No user {pk}.")
        try:
            return _users().get(pk=pk)
        except User.DoesNotExist:
            raise ScimError(404, f"No user {pk}.") from None

    def get(self, request, pk):
        return Response(user_resource(request, self._person(pk)))

    def put(self, request, pk):
        person = self._person(pk)
        state, changed = state_from_payload(request.data)
        row = row_from_state(state, changed, replace=True)
        return self._write(request, person, row, state, "externalId" in changed)

    def patch(self, request, pk):
        person = self._person(pk)
        state = user_state(person)
        changed = apply_patch(state, request.data)
        row = row_from_state(state, changed, replace=False)
        return self._write(request, person, row, state, "externalId" in changed)

    def _write(self, request, person, row, state, touch_external: bool):
        row["match_id"] = person.pk
        with transaction.atomic():
            _save_user(row, state.get("externalId"), touch_external=touch_external, create=False)
        return Response(user_resource(request, _users().get(pk=person.pk)))

    def delete(self, request, pk):
        """Deprovisioning: the person leaves; nothing is deleted."""
        person = self._person(pk)
        person_deactivate(person=person)
        return Response(status=204)


# --- Groups (teams) ----------------------------------------------------------------


def _teams(with_members: bool):
    teams = Team.objects.order_by("pk")
    if with_members:
        members = User.objects.filter(is_active=True).order_by("pk")
        teams = teams.prefetch_related(
            Prefetch("members", queryset=members, to_attr="scim_members")
        )
    return teams


def _group_filter(text: str) -> Q:
    query = Q()
    for attribute, value in parse_filter(text):
        name = attribute.lower()
        if name == "displayname":
            query &= Q(name__iexact=value)
        elif name == "id":
            query &= Q(pk=value) if str(value).isdigit() else Q(pk__in=[])
        elif name in ("members", "members.value"):
            query &= Q(members__pk=value) if str(value).isdigit() else Q(pk__in=[])
        else:
            raise ScimError(
                400, f"Groups cannot be filtered by {attribute}.", scim_type="invalidFilter"
            )
    return query


def _wants_members(request) -> bool:
    excluded = request.query_params.get("excludedAttributes", "")
    return "members" not in [a.strip().lower() for a in excluded.split(",")]


def _group(request, team: Team, with_members: bool) -> dict:
    members = getattr(team, "scim_members", None) if with_members else None
    return group_resource(request, team, members=members)


def _member_ids(value) -> list[int]:
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        raw = item.get("value") if isinstance(item, dict) else item
        if not str(raw).isdigit():
            raise ScimError(400, f"No user {raw}.", scim_type="invalidValue")
        ids.append(int(str(raw)))
    return ids


def _set_members(team: Team, *, add: Sequence[int] = (), remove: Sequence[int] = ()) -> None:
    people = User.objects.select_related("team").in_bulk([*add, *remove])
    missing = [i for i in [*add, *remove] if i not in people]
    if missing:
        raise ScimError(400, f"No user {missing[0]}.", scim_type="invalidValue")
    for pk in add:
        person_update(person=people[pk], team=team)
    for pk in remove:
        if people[pk].team_id == team.pk:
            person_update(person=people[pk], team=None)


class GroupsView(ScimView):
    def get(self, request):
        start, count = _page(request)
        with_members = _wants_members(request)
        teams = (
            _teams(with_members)
            .filter(_group_filter(request.query_params.get("filter", "")))
            .distinct()
        )
        total = teams.count()
        page = list(teams[start - 1 : start - 1 + count]) if count else []
        return _list([_group(request, t, with_members) for t in page], total, start)

    def post(self, request):
        name = (
            (request.data.get("displayName") or "").strip()
            if isinstance(request.data, dict)
            else ""
        )
        if not name:
            raise ScimError(400, "A group needs a displayName.", scim_type="invalidValue")
        if Team.objects.filter(name__iexact=name).exists():
            raise ScimError(409, f"A group named {name} already exists.", scim_type="uniqueness")
        with transaction.atomic():
            team = team_create(name=name)
            _set_members(team, add=_member_ids(request.data.get("members") or []))
        team = _teams(True).get(pk=team.pk)
        return Response(_group(request, team, True), status=201)


class GroupView(ScimView):
    def _team(self, pk, with_members=True) -> Team:
        if not str(pk).isdigit():
            raise ScimError(404, f"No group {pk}.")
        try:
            return _teams(with_members).get(pk=pk)
        except Team.DoesNotExist:
            raise ScimError(404, f"No group {pk}.") from None

    def get(self, request, pk):
        with_members = _wants_members(request)
        return Response(_group(request, self._team(pk, with_members), with_members))

    def put(self, request, pk):
        team = self._team(pk)
        data = request.data if isinstance(request.data, dict) else {}
        wanted = set(_member_ids(data.get("members") or []))
        current = {m.pk for m in team.scim_members}
        with transaction.atomic():
            if data.get("displayName"):
                team_rename(team=team, name=data["displayName"])
            _set_members(team, add=sorted(wanted - current), remove=sorted(current - wanted))
        return Response(_group(request, self._team(pk), True))

    def patch(self, request, pk):
        team = self._team(pk)
        operations = request.data.get("Operations") if isinstance(request.data, dict) else None
        if not isinstance(operations, list):
            raise ScimError(400, "A PatchOp needs an 'Operations' list.", scim_type="invalidSyntax")
        with transaction.atomic():
            for operation in operations:
                self._apply(team, operation)
        return Response(status=204)  # RFC 7644 3.5.2: 204 when no attributes are asked for

    def _apply(self, team: Team, operation: dict) -> None:
        op = str(operation.get("op", "")).lower()
        path = (operation.get("path") or "").strip()
        value = operation.get("value")
        lowered = path.lower()
        if lowered.startswith("members[") and op == "remove":
            # Okta: {"op": "remove", "path": "members[value eq \"42\"]"}
            conditions = parse_filter(path[len("members[") : -1])
            member = conditions[0][1] if conditions else None
            _set_members(team, remove=_member_ids([member]))
        elif lowered == "members":
            ids = _member_ids(value or [])
            if op == "add":
                _set_members(team, add=ids)
            elif op == "remove":
                _set_members(team, remove=ids)
            elif op == "replace":
                current = set(
                    User.objects.filter(team=team, is_active=True).values_list("pk", flat=True)
                )
                _set_members(
                    team, add=sorted(set(ids) - current), remove=sorted(current - set(ids))
                )
        elif lowered == "displayname" and op in ("add", "replace"):
            team_rename(team=team, name=str(value))
        elif not path and isinstance(value, dict) and op in ("add", "replace"):
            # Okta renames with a path-less replace: {"value": {"id": ..., "displayName": ...}}
            if value.get("displayName"):
                team_rename(team=team, name=str(value["displayName"]))
            if "members" in value:
                _set_members(team, add=_member_ids(value["members"]))
        else:
            raise ScimError(
                400, f"Unsupported operation on a group: {operation}", scim_type="invalidPath"
            )

    def delete(self, request, pk):
        """The team stays (stretch assignments and templates point at it);
        its members are taken out of it."""
        team = self._team(pk)
        with transaction.atomic():
            _set_members(team, remove=[m.pk for m in team.scim_members])
        return Response(status=204)


# --- Discovery ---------------------------------------------------------------------


class ServiceProviderConfigView(ScimView):
    def get(self, request):
        return Response(discovery.service_provider_config(request))


class ResourceTypesView(ScimView):
    def get(self, request, name=None):
        types = discovery.resource_types(request)
        if name is None:
            return _list(types, len(types), 1)
        for resource_type in types:
            if resource_type["id"] == name:
                return Response(resource_type)
        raise ScimError(404, f"No resource type {name}.")


class SchemasView(ScimView):
    def get(self, request, urn=None):
        schemas = discovery.schemas()
        if urn is None:
            return _list(schemas, len(schemas), 1)
        for schema in schemas:
            if schema["id"] == urn:
                return Response(schema)
        raise ScimError(404, f"No schema {urn}.")
