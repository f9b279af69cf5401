"""Geometry for bar charts and histograms drawn as inline SVG by the templates
(no JavaScript, no third-party files: they work offline and under a strict
CSP). Each chart sits next to a table with the same numbers."""

from dataclasses import dataclass

# Sized for a card a third of the page wide, so that 12px text stays 12px.
LABEL_WIDTH = 136  # room left of the bars for 18 characters of row label at 12px
VALUE_ROOM = 44  # room right of the longest bar for its number
BAR_HEIGHT = 16
BAR_GAP = 2
ROW_GAP = 12
LABEL_CHARS = 18


@dataclass
class Bar:
    series: int  # index into the chart's series: picks the colour
    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    text_y: float


@dataclass
class BarRow:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class BarChart:
    key: str  # unique within the page: ids for the title and description
    title: str
    description: str
    width: int
    height: int
    label_width: int
    rows: list[BarRow]
    series: list[str]


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
    key: str
    title: str
    description: str
    width: int
    height: int
    baseline: float
    columns: list[Column]


def value_text(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value:.0%}"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    *,
    key: str,
    title: str,
    rows: list[tuple[str, list[float | None]]],
    series: list[str],
    percent: bool = False,
    maximum: float | None = None,
    width: int = 360,
) -> BarChart:
    """Horizontal bars, one group per row and one bar per series in it.
    Percentages are shares (0..1) drawn against 100%; counts against the largest."""
    plot_width = width - LABEL_WIDTH - VALUE_ROOM
    values = [v for _, row in rows for v in row if v is not None]
    peak = maximum or (1.0 if percent else max(values, default=0)) or 1
    y = float(ROW_GAP / 2)
    drawn = []
    for label, row in rows:
        bars = []
        for index, value in enumerate(row):
            top = y + index * (BAR_HEIGHT + BAR_GAP)
            length = round(plot_width * (value or 0) / peak, 1)
            bars.append(
                Bar(
                    series=index,
                    x=LABEL_WIDTH,
                    y=top,
                    width=length,
                    height=BAR_HEIGHT,
                    text=value_text(value, percent=percent),
                    text_x=LABEL_WIDTH + length + 4,
                    text_y=top + BAR_HEIGHT / 2,
                )
            )
        group = len(row) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        drawn.append(BarRow(label=_short(label), label_y=y + group / 2, bars=bars))
        y += group + ROW_GAP
    description = "; ".join(
        _describe(label, series, row.bars) for (label, _), row in zip(rows, drawn, strict=True)
    )
    return BarChart(
        key=key,
        title=title,
        description=description,
        width=width,
        height=int(y - ROW_GAP / 2),
        label_width=LABEL_WIDTH,
        rows=drawn,
        series=series,
    )


def _describe(label: str, series: list[str], bars: list[Bar]) -> str:
    return f"{label}: " + ", ".join(
        f"{name} {bar.text}" for name, bar in zip(series, bars, strict=True)
    )


def histogram(
    *,
    key: str,
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
        key=key,
        title=title,
        description=description,
        width=width,
        height=height,
        baseline=baseline,
        columns=columns,
    )
