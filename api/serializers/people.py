"""People and teams as the API shows and accepts them."""

from rest_framework import serializers

from people.models import Team, User, timezone_names
from people.rules import leaving_conflict

MAX_BATCH = 1000


class PersonSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", default=None, read_only=True)
    manager_email = serializers.EmailField(source="manager.email", default=None, read_only=True)
    manager_employee_id = serializers.CharField(
        source="manager.employee_id", default=None, read_only=True
    )
    level = serializers.CharField(source="level_code", default=None, read_only=True)
    ladder = serializers.CharField(source="ladder_slug", default=None, read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "employee_id",
            "name",
            "title",
            "team",
            "team_id",
            "manager_id",
            "manager_email",
            "manager_employee_id",
            "level",
            "ladder",
            "start_date",
            "end_date",
            "timezone",
            "active",
            "updated_at",
        ]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    """Every field is optional: what is left out stays as it is. A new person
    needs at least email and name."""

    email = serializers.EmailField(max_length=254, required=False)
    employee_id = serializers.CharField(max_length=64, required=False, allow_null=True)
    name = serializers.CharField(max_length=150, required=False)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    team = serializers.CharField(
        max_length=120,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The team's name; a team that does not exist yet is created.",
    )
    manager_email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)
    manager_employee_id = serializers.CharField(
        max_length=64, required=False, allow_null=True, allow_blank=True
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    timezone = serializers.CharField(max_length=64, required=False)
    active = serializers.BooleanField(
        required=False, help_text="false: the person has left (sign-in stops, sessions end)."
    )

    def validate_timezone(self, value: str) -> str:
        if value not in timezone_names():
            raise serializers.ValidationError(
                f'"{value}" is not an IANA timezone name (e.g. Europe/London).'
            )
        return value

    def validate(self, data):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The last day is before the first."})
        conflict = leaving_conflict(end_date=end, active=data.get("active"))
        if conflict:
            raise serializers.ValidationError({"active": conflict[0].upper() + conflict[1:] + "."})
        return data


class PersonBatchSerializer(serializers.Serializer):
    # What many=True builds, spelled out so that the list's own limits are typed.
    people: serializers.ListSerializer[User] = serializers.ListSerializer(
        child=PersonWriteSerializer(), max_length=MAX_BATCH, allow_empty=False
    )


class PersonBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    people = serializers.ListField(
        child=serializers.DictField(), help_text="Per row, in order: id, email, status."
    )


class TeamSerializer(serializers.ModelSerializer):
    # DRF's metaclass takes declared fields out of the class, so this "parent"
    # is the API field and does not shadow Field.parent at run time.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.name", default=None, read_only=True
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "parent_id", "parent", "description", "member_count", "updated_at"]
        read_only_fields = fields
