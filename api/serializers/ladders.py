"""Ladders (their latest published revision), placements and stretch assignments."""

from typing import cast

from rest_framework import serializers

from ladders.models import (
    Competency,
    Expectation,
    Ladder,
    Level,
    Placement,
    StretchAssignment,
    StretchParticipation,
)


class ExpectationSerializer(serializers.ModelSerializer):
    competency = serializers.CharField(source="competency.code")

    class Meta:
        model = Expectation
        fields = ["competency", "text", "examples"]


class LevelSerializer(serializers.ModelSerializer):
    expectations = ExpectationSerializer(many=True)

    class Meta:
        model = Level
        fields = ["code", "name", "track", "position", "summary", "expectations"]


class CompetencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Competency
        fields = ["code", "name", "theme", "description", "position"]


class LadderSerializer(serializers.ModelSerializer):
    revision = serializers.SerializerMethodField()
    published_at = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = Ladder
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "revision",
            "published_at",
            "competencies",
            "levels",
        ]

    # The view prefetches the published revisions, newest first, into
    # `published`; the first is what the ladder says today.
    def _current(self, ladder):
        return ladder.published[0] if ladder.published else None

    def get_revision(self, ladder) -> int | None:
        current = self._current(ladder)
        return current.number if current else None

    def get_published_at(self, ladder) -> str | None:
        current = self._current(ladder)
        return current.published_at.isoformat() if current and current.published_at else None

    def get_levels(self, ladder) -> list[dict]:
        current = self._current(ladder)
        return (
            cast(list[dict], LevelSerializer(current.levels.all(), many=True).data)
            if current
            else []
        )

    def get_competencies(self, ladder) -> list[dict]:
        current = self._current(ladder)
        if not current:
            return []
        return cast(list[dict], CompetencySerializer(current.competencies.all(), many=True).data)


class PlacementSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="person.email")
    employee_id = serializers.CharField(source="person.employee_id")
    ladder = serializers.CharField(source="level.revision.ladder.slug")
    revision = serializers.IntegerField(source="level.revision.number")
    level = serializers.CharField(source="level.code")

    class Meta:
        model = Placement
        fields = [
            "id",
            "person_id",
            "email",
            "employee_id",
            "ladder",
            "revision",
            "level",
            "since",
            "recorded_at",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="person.email")

    class Meta:
        model = StretchParticipation
        fields = ["person_id", "email", "status", "applied_at", "decided_at", "completed_at"]


class StretchAssignmentSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", default=None)
    posted_by = serializers.EmailField(source="posted_by.email")
    competencies: serializers.SlugRelatedField[Competency] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    participants = ParticipantSerializer(source="participations", many=True)

    class Meta:
        model = StretchAssignment
        fields = [
            "id",
            "title",
            "description",
            "team",
            "posted_by",
            "hours_per_week",
            "seats",
            "starts_on",
            "ends_on",
            "cross_functional",
            "status",
            "competencies",
            "participants",
            "created_at",
        ]
