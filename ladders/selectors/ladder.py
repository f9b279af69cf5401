"""A published ladder as people read it: its levels track by track, the next
level on the same track, and the whole matrix of levels by competencies."""

from dataclasses import dataclass

from ..models import Competency, Expectation, Level, Revision, Track

TRACK_ORDER = {track: index for index, track in enumerate(Track.values)}  # IC first


def track_levels(*, revision: Revision) -> list[tuple[str, list[Level]]]:
    """(track label, its levels lowest first), IC track first, one query.
    Positions interleave the tracks where their scope is comparable; people
    read a ladder one track at a time."""
    levels = sorted(
        revision.levels.all(), key=lambda level: (TRACK_ORDER.get(level.track, 99), level.position)
    )
    tracks: dict[str, list[Level]] = {}
    for level in levels:
        tracks.setdefault(level.track, []).append(level)
    return [(Track(track).label, rows) for track, rows in tracks.items()]


def next_on_track(levels: list[Level], level: Level) -> Level | None:
    """The next level up on the level's own track, from a list in track order."""
    same_track = [other for other in levels if other.track == level.track]
    index = same_track.index(level)
    return same_track[index + 1] if index + 1 < len(same_track) else None


def previous_on_track(levels: list[Level], level: Level) -> Level | None:
    same_track = [other for other in levels if other.track == level.track]
    index = same_track.index(level)
    return same_track[index - 1] if index > 0 else None


@dataclass
class MatrixRow:
    competency: Competency
    cells: list[Expectation | None]  # aligned with Matrix.levels


@dataclass
class Matrix:
    tracks: list[tuple[str, list[Level]]]
    levels: list[Level]
    themes: list[tuple[str, list[MatrixRow]]]


def ladder_matrix(*, revision: Revision) -> Matrix:
    """Every level by every competency, tracks side by side: three queries,
    whatever the ladder's size."""
    tracks = track_levels(revision=revision)
    levels = [level for _, rows in tracks for level in rows]
    cells = {
        (e.level_id, e.competency_id): e
        for e in Expectation.objects.filter(level__revision=revision).select_related("level")
    }
    themes: dict[str, list[MatrixRow]] = {}
    for competency in revision.competencies.order_by("position", "name"):
        row = MatrixRow(competency, [cells.get((level.pk, competency.pk)) for level in levels])
        themes.setdefault(competency.theme, []).append(row)
    return Matrix(tracks=tracks, levels=levels, themes=list(themes.items()))
