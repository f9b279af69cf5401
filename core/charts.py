"""Geometry for charts drawn as inline SVG by templates/core/_bar_chart.html
and _histogram.html (no JavaScript, no third-party files: they work offline
and under a strict CSP). Every chart sits beside a table of the same numbers."""

import math
from collections.abc import Callable
from dataclasses import dataclass

BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 12
AXIS_ROOM = 22


@dataclass(frozen=True)
class Layout:
    name: str  # the template's CSS modifier
    label_width: int  # room left of the bars for the row labels
    plot_width: int
    value_room: int  # for the number written after the longest bar
    label_chars: int  # longer labels are cut (the table has them whole)


WIDE = Layout("wide", label_width=180, plot_width=290, value_room=70, label_chars=22)
"""A chart beside its table, half a page wide."""
NARROW = Layout("narrow", label_width=136, plot_width=180, value_room=44, label_chars=18)
"""A card a third of the page wide, so that 12px text stays 12px."""


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
    layout: str

    @property
    def label_x(self) -> int:
        return self.plot_left - 8

    @property
    def tick_label_y(self) -> float:
        return self.plot_bottom + 15


def number_text(value: float) -> str:
    return f"{value:g}"


def share_text(value: float) -> str:
    """A share from 0 to 1 as a whole percentage."""
    return f"{value:.0%}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, list[float | None]]],
    series: list[str],
    description: str = "",
    max_value: float | None = None,
    fmt: Callable[[float], str] = number_text,
    missing: str = "no data",
    ticks: int = 4,
    layout: Layout = WIDE,
) -> BarChart:
    """One group of bars per row (one bar per series); a value of None is
    written as `missing`, with no bar. The scale starts at 0. Without a
    description, the chart describes itself with its numbers."""
    values = [v for _, row in rows for v in row if v is not None]
    whole = all(isinstance(v, int) for v in values)  # counts: no tick at 2.5 people
    top_value = max_value if max_value is not None else max(values, default=0)
    step = nice_step(top_value / ticks, whole=whole)
    top = step * ticks
    left = layout.label_width
    groups, y = [], 4.0
    for label, row in rows:
        bars = []
        for index, value in enumerate(row):
            # Never a bar of negative width, whatever the value.
            width = round(layout.plot_width * min(max(value, 0), top) / top, 1) if value else 0.0
            text = missing if value is None else fmt(value)
            bars.append(Bar(index, width, y, text, left + width + 5, y + BAR_HEIGHT - 4))
            y += BAR_HEIGHT + BAR_GAP
        group_middle = bars[0].y + (len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2 if bars else y
        label_y = round(group_middle + 4, 1)
        groups.append(Group(label=_short(label, layout), label_y=label_y, bars=bars))
        y += GROUP_GAP - BAR_GAP
    plot_bottom = round(y, 1)
    tick_marks = [
        Tick(x=round(left + layout.plot_width * i / ticks, 1), label=fmt(step * i))
        for i in range(ticks + 1)
    ]
    return BarChart(
        id=chart_id,
        title=title,
        description=description or _describe(rows, groups, series),
        series=series,
        groups=groups,
        ticks=tick_marks,
        width=left + layout.plot_width + layout.value_room,
        height=int(plot_bottom + AXIS_ROOM),
        plot_left=left,
        plot_bottom=plot_bottom,
        layout=layout.name,
    )


def _describe(
    rows: list[tuple[str, list[float | None]]], groups: list[Group], series: list[str]
) -> str:
    """Every number, in words: "Autumn: Mentors 3, Mentees 4; Winter: ..."."""
    return "; ".join(
        f"{label}: "
        + ", ".join(f"{name} {bar.text}" for name, bar in zip(series, group.bars, strict=True))
        for (label, _), group in zip(rows, groups, strict=True)
    )


def nice_step(rough: float, *, whole: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least
    `rough`, so the axis reads 0, 20, 40... rather than 0, 18.75, 37.5...
    A whole step (for counts) is at least 1 and never 2.5."""
    if rough <= 0:
        return 1
    if whole and rough <= 1:
        return 1
    power: float = 10 ** math.floor(math.log10(rough))  # an int from 1 up
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    return next(m * power for m in multiples if m * power >= rough)


def _short(label: str, layout: Layout) -> str:
    """SVG text does not wrap; the table beside the chart has the full label."""
    limit = layout.label_chars
    return label if len(label) <= limit else label[: limit - 1] + "…"


# --- histograms ------------------------------------------------------------------------


@dataclass
class Column:
    x: float
    y: float
    width: float
    height: float
    text: str
    text_y: float
    label: str
    label_x: float


@dataclass
class Histogram:
    id: str
    title: str
    description: str
    width: int
    height: int
    baseline: float
    columns: list[Column]


def histogram(
    *,
    chart_id: str,
    title: str,
    buckets: list[tuple[str, int]],
    axis_labels: list[str] | None = None,
    width: int = 360,
    height: int = 200,
) -> Histogram:
    """Vertical columns, one per bucket, with the count above each. Axis labels
    (e.g. each bucket's lower edge) default to the buckets' own labels."""
    label_room, top_room = 28, 20
    axis_labels = axis_labels or [label for label, _ in buckets]
    baseline = height - label_room
    plot_height = baseline - top_room
    peak = max((count for _, count in buckets), default=0) or 1
    slot = width / max(len(buckets), 1)
    columns = []
    for index, ((_, count), label) in enumerate(zip(buckets, axis_labels, strict=True)):
        column_height = round(plot_height * count / peak, 1)
        columns.append(
            Column(
                x=round(index * slot + slot * 0.1, 1),
                y=baseline - column_height,
                width=round(slot * 0.8, 1),
                height=column_height,
                text=str(count),
                text_y=baseline - column_height - 5,
                label=label,
                label_x=round(index * slot + slot / 2, 1),
            )
        )
    description = "; ".join(f"{label}: {count}" for label, count in buckets)
    return Histogram(
        id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height,
        baseline=baseline,
        columns=columns,
    )
