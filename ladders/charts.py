"""Geometry for charts drawn as inline SVG by the templates (no JavaScript,
no third-party files: they work offline and under a strict CSP)."""

import math
from dataclasses import dataclass

SCALE_MAX = 4


@dataclass
class RadarAxis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass
class Radar:
    size: int
    center: float
    axes: list[RadarAxis]
    rings: list[str]  # polygon points for 1..SCALE_MAX
    series: dict[str, str]  # name -> polygon points

    @property
    def wide(self) -> int:
        """The drawing's width with room for long labels either side."""
        return self.size + 160


def radar(labels: list[str], series: dict[str, list[float | None]], size: int = 420) -> Radar:
    """Axes evenly round a circle, first at the top; values 0..SCALE_MAX."""
    center = size / 2
    radius = size / 2 - 70  # room for the labels
    count = max(len(labels), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * value / SCALE_MAX
        return center + r * math.cos(angle), center + r * math.sin(angle)

    def polygon(values) -> str:
        return " ".join("{:.1f},{:.1f}".format(*point(i, v or 0)) for i, v in enumerate(values))

    axes = []
    for i, label in enumerate(labels):
        x, y = point(i, SCALE_MAX)
        lx, ly = point(i, SCALE_MAX + 0.45)
        cos = math.cos(-math.pi / 2 + 2 * math.pi * i / count)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        axes.append(RadarAxis(label, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), anchor))
    rings = [polygon([level] * count) for level in range(1, SCALE_MAX + 1)]
    return Radar(size, center, axes, rings, {name: polygon(v) for name, v in series.items()})
