"""Server-side SVG charts: a line chart for weekly series, a horizontal bar chart.

Pure functions from numbers to markup: no JavaScript, nothing fetched. Each chart is an
``role="img"`` SVG named by its <title> and summarised by its <desc>; the page puts the
same numbers in a table beside it. The viewBox lets the chart shrink to a phone's width;
colours and line dashes come from CSS classes (portal.css), so series differ by more
than colour. Every text that came from data is escaped. Names, descriptions, days and
numbers are in the viewer's language (dashboard/formatting.py).
"""

import math
from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from dashboard.formatting import format_compact, format_day, format_number, format_short_day
from dashboard.formatting import no_data as no_data_text
from dashboard.results import ChartKind, Table

# Narrow on purpose: on a phone the chart is drawn near its own size, so 13-unit text
# stays readable; on a desk it scales up within its card.
WIDTH = 400
LINE_HEIGHT = 240
LEGEND_HEIGHT = 30
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 46, 12, 30
MAX_X_LABELS = 5
BAR_ROW_HEIGHT = 42
BAR_THICKNESS = 16
BAR_VALUE_SPACE = 56  # room right of the longest bar for its number
BAR_LABEL_CHARS = 48
SERIES_CLASSES = 4  # .chart-series-1 … -4 in portal.css, then they repeat


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _label(value) -> str:
    return format_day(value) if isinstance(value, date) else str(value)


def _short_day(value) -> str:
    """Axis labels: "5 May" (the year is in the title's period)."""
    return format_short_day(value) if isinstance(value, date) else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def axis_number(value: float) -> str:
    """Tick labels stay short enough for the margin: 950, 1,500, 20K, 1.5M (in English)."""
    if abs(value) >= 10_000:
        return format_compact(value)
    return format_number(value, 2)


def nice_scale(largest: float) -> tuple[float, float]:
    """The axis top and tick step: 1, 2, 2.5 or 5 × a power of ten, four steps or so."""
    if largest <= 0:
        return 1.0, 1.0
    rough = largest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    if largest >= 1 and step < 1:
        step = 1.0  # counts: no half questions on the axis
    return step * math.ceil(largest / step - 1e-9), step


def _svg(chart_id: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    chart_id = escape(chart_id)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} '
        f'{height:g}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def no_data_chart(chart_id: str, title: str) -> Markup:
    """What a chart of an empty or all-zero series shows: says so, in words."""
    message = escape(_("No data for this period"))
    body = [
        f'<rect class="chart-empty" x="1" y="1" width="{WIDTH - 2}" height="118" rx="8"/>',
        f'<text class="chart-empty-text" x="{WIDTH / 2:g}" y="66" text-anchor="middle">'
        f"{message}</text>",
    ]
    return _svg(chart_id, title, _("No data for this period."), 120, body)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence,
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> Markup:
    """One line per series over the labels (week starts); a missing value breaks the line."""
    largest = max((v for _name, values in series for v in values if v is not None), default=0)
    if not labels or largest <= 0:
        return no_data_chart(chart_id, title)
    top, step = nice_scale(largest)
    plot_top, plot_bottom = LEGEND_HEIGHT + 10, LINE_HEIGHT - MARGIN_BOTTOM
    plot_left, plot_right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    count = len(labels)

    def x(index: int) -> float:
        if count == 1:
            return (plot_left + plot_right) / 2
        return plot_left + index * (plot_right - plot_left) / (count - 1)

    def y(value: float) -> float:
        return plot_bottom - value / top * (plot_bottom - plot_top)

    body = []
    for tick in range(round(top / step) + 1):
        value = tick * step
        body.append(
            f'<line class="chart-grid" x1="{plot_left}" x2="{plot_right}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="chart-axis" x="{plot_left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{axis_number(value)}</text>'
        )
    every = math.ceil(count / MAX_X_LABELS)
    for index in range(0, count, every):
        # The last label ends at the edge instead of running off it.
        anchor = "end" if count > 1 and index == count - 1 else "middle"
        body.append(
            f'<text class="chart-axis" x="{x(index):.1f}" y="{plot_bottom + 20}" '
            f'text-anchor="{anchor}">{escape(_short_day(labels[index]))}</text>'
        )
    legend_x = plot_left
    for number, (name, values) in enumerate(series):
        css = f"chart-series-{number % SERIES_CLASSES + 1}"
        body.append(
            f'<g class="{css}"><line class="chart-line" x1="{legend_x}" x2="{legend_x + 22}" '
            f'y1="14" y2="14"/><text class="chart-legend" x="{legend_x + 28}" y="19">'
            f"{escape(name)}</text></g>"
        )
        legend_x += 44 + 8 * len(name)
        path, points, pen_down = [], [], False
        for index, value in enumerate(values[:count]):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x(index):.1f} {y(value):.1f}")
            pen_down = True
            tip = _(
                "%(day)s: %(series)s %(value)s",
                day=_label(labels[index]),
                series=name,
                value=format_number(value),
            )
            points.append(
                f'<circle class="chart-point" cx="{x(index):.1f}" cy="{y(value):.1f}" r="3.5">'
                f"<title>{escape(tip)}</title></circle>"
            )
        body.append(
            f'<g class="{css}"><path class="chart-line" d="{" ".join(path)}"/>'
            + "".join(points)
            + "</g>"
        )
    sentences = [
        ngettext(
            "Line chart, %(num)d week from %(first)s to %(last)s.",
            "Line chart, %(num)d weeks from %(first)s to %(last)s.",
            count,
            first=_label(labels[0]),
            last=_label(labels[-1]),
        )
    ]
    for name, values in series:
        known = [v for v in values if v is not None]
        if known:
            sentences.append(
                _(
                    "%(series)s: from %(first)s to %(last)s, highest %(highest)s.",
                    series=name,
                    first=format_number(known[0]),
                    last=format_number(known[-1]),
                    highest=format_number(max(known)),
                )
            )
    return _svg(chart_id, title, " ".join(sentences), LINE_HEIGHT, body)


def bar_chart(
    chart_id: str, title: str, labels: Sequence, values: Sequence[float | None]
) -> Markup:
    """One horizontal bar per label, its length proportional to its value, name above it."""
    largest = max((v for v in values if v is not None), default=0)
    if not labels or largest <= 0:
        return no_data_chart(chart_id, title)
    bar_room = WIDTH - 2 - BAR_VALUE_SPACE
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=False)):
        top = index * BAR_ROW_HEIGHT
        name = _label(label)
        amount = value or 0
        length = max(amount, 0) / largest * bar_room
        shown = format_number(amount) if value is not None else no_data_text()
        tip = _("%(label)s: %(value)s", label=name, value=shown)
        body.append(
            f'<g class="chart-bar-row"><title>{escape(tip)}</title>'
            f'<text class="chart-label" x="2" y="{top + 15}">'
            f"{escape(_clip(name, BAR_LABEL_CHARS))}</text>"
            f'<rect class="chart-bar" x="2" y="{top + 21}" width="{length:.2f}" '
            f'height="{BAR_THICKNESS}" rx="3"/>'
            f'<text class="chart-value" x="{length + 8:.2f}" y="{top + 34}">{escape(shown)}'
            "</text></g>"
        )
    leader = labels[list(values).index(largest)]
    description = ngettext(
        "Bar chart, %(num)d bar. Largest: %(label)s, %(value)s.",
        "Bar chart, %(num)d bars. Largest: %(label)s, %(value)s.",
        len(labels),
        label=_label(leader),
        value=format_number(largest),
    )
    return _svg(chart_id, title, description, len(labels) * BAR_ROW_HEIGHT + 4, body)


def chart_for(table: Table) -> Markup | None:
    """The chart a table asks for (None for table-only data), id'd by its key."""
    chart_id = f"chart-{table.key}"
    if table.chart is ChartKind.LINE:
        labels = [row[0] for row in table.rows]
        series = [
            (name, [_number(row[column]) for row in table.rows])
            for column, name in enumerate(table.columns[1:], start=1)
        ]
        return line_chart(chart_id, table.title, labels, series)
    if table.chart is ChartKind.BAR:
        labels = [row[0] for row in table.rows]
        return bar_chart(chart_id, table.title, labels, [_number(row[1]) for row in table.rows])
    return None
