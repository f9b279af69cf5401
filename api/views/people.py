"""People and teams. Writes go through api/sync.py to people/services/."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..filters import PersonFilter, TeamFilter
from ..selectors import people_for_api, teams_for_api
from ..serializers.people import (
    MAX_BATCH,
    PersonBatchResultSerializer,
    PersonBatchSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    TeamSerializer,
)
from ..sync import CREATED, UNCHANGED, UPDATED, RowError, people_upsert, unchanged_rows

EMAIL_PATH = r"by-email/(?P<email>[^/]+)"
EMPLOYEE_ID_PATH = r"by-employee-id/(?P<employee_id>[^/]+)"


def _row_error(error: RowError, *, batch: bool) -> ValidationError:
    name = f"people[{error.index}].{error.field}" if batch else error.field
    return ValidationError({name: [error.message]})


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People, leavers included (`active: false`). Create with POST; create or
    update idempotently with PUT by email or employee id; change some fields
    with PATCH; sync many at once with POST /people/bulk/."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return people_for_api()

    def _upsert_one(self, data, *, create: bool, key: dict):
        serializer = PersonWriteSerializer(data=data, partial=True)
        serializer.is_valid(raise_exception=True)
        row = {**serializer.validated_data}
        if "email" in key:
            # The path names the person; an email in the body renames them.
            row["match_email"] = key["email"]
            row.setdefault("email", key["email"])
        if "employee_id" in key:
            if row.get("employee_id") not in (None, key["employee_id"]):
                raise ValidationError(
                    {"employee_id": ["An employee id is not changed; it names the person."]}
                )
            row["employee_id"] = key["employee_id"]
        try:
            (outcome,) = people_upsert(rows=[row], create=create)
        except RowError as error:
            raise _row_error(error, batch=False) from None
        person = self.get_queryset().get(pk=outcome.person.pk)
        code = status.HTTP_201_CREATED if outcome.status == CREATED else status.HTTP_200_OK
        return Response(PersonSerializer(person).data, status=code)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request):
        """A new person (email and name required); onboarding starts as from the admin."""
        serializer = PersonWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data.get("email")
        if not email:
            raise ValidationError({"email": ["A new person needs an email."]})
        if people_for_api().filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": [f"{email} already belongs to someone; use PUT to update."]}
            )
        employee_id = serializer.validated_data.get("employee_id")
        if employee_id and people_for_api().filter(employee_id=employee_id).exists():
            raise ValidationError(
                {"employee_id": [f"{employee_id} already belongs to someone; use PUT to update."]}
            )
        return self._upsert_one(request.data, create=True, key={})

    @extend_schema(
        request=PersonWriteSerializer,
        responses={200: PersonSerializer, 201: PersonSerializer},
        parameters=[OpenApiParameter("email", OpenApiTypes.EMAIL, OpenApiParameter.PATH)],
    )
    @action(detail=False, methods=["put", "patch"], url_path=EMAIL_PATH, url_name="by-email")
    def by_email(self, request, email: str):
        """PUT: create or update the person with this email (the same request
        twice changes nothing the second time). PATCH: update only (404 if none)."""
        return self._write_by_key(request, {"email": email})

    @extend_schema(
        request=PersonWriteSerializer,
        responses={200: PersonSerializer, 201: PersonSerializer},
        parameters=[OpenApiParameter("employee_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
    )
    @action(
        detail=False,
        methods=["put", "patch"],
        url_path=EMPLOYEE_ID_PATH,
        url_name="by-employee-id",
    )
    def by_employee_id(self, request, employee_id: str):
        """As by email, keyed by the HR system's employee id."""
        return self._write_by_key(request, {"employee_id": employee_id})

    def _write_by_key(self, request, key: dict):
        create = request.method == "PUT"
        if not create:
            field, value = next(iter(key.items()))
            lookup = {f"{field}__iexact" if field == "email" else field: value}
            if not people_for_api().filter(**lookup).exists():
                return Response(
                    {
                        "status": 404,
                        "code": "not_found",
                        "message": f"No person with {field} {value}.",
                    },
                    status=status.HTTP_404_NOT_FOUND,
                )
        return self._upsert_one(request.data, create=create, key=key)

    @extend_schema(request=PersonBatchSerializer, responses={200: PersonBatchResultSerializer})
    @action(detail=False, methods=["post"], url_path="bulk", url_name="bulk")
    def bulk(self, request):
        """Create or update up to 1,000 people in one request, all or none:
        a refused row answers 400 naming `people[index].field` and changes
        nothing. Rows match by employee id, else email."""
        raw = request.data.get("people") if isinstance(request.data, dict) else None
        if not isinstance(raw, list) or not raw or len(raw) > MAX_BATCH:
            raise ValidationError({"people": [f"A list of 1 to {MAX_BATCH} people is expected."]})
        same = unchanged_rows(raw)
        todo = [index for index in range(len(raw)) if index not in same]
        validated = self._validate_rows(raw, todo)
        try:
            with transaction.atomic():
                changed = people_upsert(rows=validated) if validated else []
        except RowError as error:
            error.index = todo[error.index]
            raise _row_error(error, batch=True) from None
        results = {
            i: {"id": pk, "email": email, "status": UNCHANGED} for i, (pk, email) in same.items()
        }
        for o in changed:
            results[todo[o.index]] = {
                "id": o.person.pk,
                "email": o.person.email,
                "status": o.status,
            }
        rows = [results[i] for i in range(len(raw))]
        counts = dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0)
        for row in rows:
            counts[row["status"]] += 1
        return Response({**counts, "people": rows})

    def _validate_rows(self, raw: list, indexes: list[int]) -> list[dict]:
        """The rows that may change something, validated; errors name the
        row's index in the request."""
        serializer = PersonWriteSerializer(data=[raw[i] for i in indexes], many=True, partial=True)
        if serializer.is_valid():
            return list(serializer.validated_data)
        found = serializer.errors  # a list, or with partial=True {position: errors}
        by_position = found.items() if isinstance(found, dict) else enumerate(found)
        errors = {
            f"people[{indexes[position]}].{field}": messages
            for position, row_errors in by_position
            for field, messages in (row_errors or {}).items()
        }
        raise ValidationError(errors)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Teams with their active member count. Teams are created as people
    name them (PUT/POST on people)."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilter

    def get_queryset(self):
        return teams_for_api()
