"""Geometry for horizontal bar charts drawn as inline SVG by
templates/onboarding/_bar_chart.html (no JavaScript, no third-party files).
Every chart sits beside a table of the same numbers."""

import math
from collections.abc import Callable
from dataclasses import dataclass

LABEL_WIDTH = 180
PLOT_WIDTH = 290
VALUE_ROOM = 70  # for the number written after the longest bar
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 12
AXIS_ROOM = 22
LABEL_CHARS = 22


@dataclass
class Bar:
    series: int  # picks the colour: CSS class bar-s<series>
    width: float
    y: float
    text: str
    text_x: float
    text_y: float


@dataclass
class Group:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    series: list[str]
    groups: list[Group]
    ticks: list[Tick]
    width: int
    height: int
    plot_left: int
    plot_bottom: float

    @property
    def label_x(self) -> int:
        return self.plot_left - 8

    @property
    def tick_label_y(self) -> float:
        return self.plot_bottom + 15


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, list[float | None]]],
    series: list[str],
    max_value: float | None = None,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    ticks: int = 4,
) -> BarChart:
    """One group of bars per row (one bar per series); a value of None is
    drawn as "no data" with no bar. The scale starts at 0."""
    values = [v for _, row in rows for v in row if v is not None]
    whole = all(isinstance(v, int) for v in values)  # counts: no tick at 2.5 people
    top_value = max_value if max_value is not None else max(values, default=0)
    step = nice_step(top_value / ticks, whole=whole)
    top = step * ticks
    groups, y = [], 4.0
    for label, row in rows:
        bars = []
        for index, value in enumerate(row):
            # A bar never has a negative width, whatever figure reaches it.
            width = round(PLOT_WIDTH * min(value, top) / top, 1) if value and value > 0 else 0.0
            text = "no data" if value is None else fmt(value)
            bars.append(
                Bar(
                    series=index,
                    width=width,
                    y=y,
                    text=text,
                    text_x=LABEL_WIDTH + width + 5,
                    text_y=y + BAR_HEIGHT - 4,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        group_middle = bars[0].y + (len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2 if bars else y
        groups.append(Group(label=_short(label), label_y=round(group_middle + 4, 1), bars=bars))
        y += GROUP_GAP - BAR_GAP
    plot_bottom = round(y, 1)
    tick_marks = [
        Tick(x=round(LABEL_WIDTH + PLOT_WIDTH * i / ticks, 1), label=fmt(step * i))
        for i in range(ticks + 1)
    ]
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        series=series,
        groups=groups,
        ticks=tick_marks,
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_ROOM,
        height=int(plot_bottom + AXIS_ROOM),
        plot_left=LABEL_WIDTH,
        plot_bottom=plot_bottom,
    )


def nice_step(rough: float, *, whole: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least
    `rough`, so the axis reads 0, 20, 40... rather than 0, 18.75, 37.5...
    A whole step (for counts) is at least 1 and never 2.5."""
    if rough <= 0:
        return 1
    if whole and rough <= 1:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    return next(m * power for m in multiples if m * power >= rough)


def _short(label: str) -> str:
    """SVG text does not wrap; the table beside the chart has the full label."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
