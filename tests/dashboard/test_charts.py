"""SVG charts: well-formed, accessible, proportional, escaped, and calm when empty."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from markupsafe import Markup

from dashboard import charts
from dashboard.results import ChartKind, Table

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def assert_accessible(root: ET.Element, chart_id: str, title: str) -> str:
    """role=img, named by its <title>, described by its <desc>; returns the description."""
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.get("viewBox").startswith("0 0 ")
    title_element = root.find(f"{SVG}title")
    assert title_element.get("id") == f"{chart_id}-title" and title_element.text == title
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == f"{chart_id}-desc"
    return desc.text


def weeks(count: int) -> list[date]:
    return [date(2025, 3, 3) + timedelta(weeks=index) for index in range(count)]


def test_bar_lengths_are_proportional_to_values():
    root = parse(
        charts.bar_chart("c", "Questions by tag", ["Router", "Billing", "Wi-Fi"], [8, 4, 2])
    )
    assert_accessible(root, "c", "Questions by tag")
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert len(widths) == 3
    assert widths[0] / widths[1] == pytest.approx(2) and widths[0] / widths[2] == pytest.approx(4)
    assert [text.text for text in root.iter(f"{SVG}text")] == [
        "Router", "8", "Billing", "4", "Wi-Fi", "2"
    ]  # fmt: skip


def test_bar_chart_names_the_largest_bar_and_gives_each_bar_a_tooltip():
    root = parse(charts.bar_chart("c", "Solved cases", ["Sam", "Nina"], [3, 12.5]))
    description = assert_accessible(root, "c", "Solved cases")
    assert "2 bars" in description and "Nina, 12.5" in description
    tips = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")]
    assert tips == ["Sam: 3", "Nina: 12.5"]


def test_long_bar_labels_are_shortened_but_kept_whole_in_the_tooltip():
    name = "A tag with a very long name that would not fit on a phone at all"
    root = parse(charts.bar_chart("c", "Tags", [name], [1]))
    label = next(root.iter(f"{SVG}text")).text
    assert label.endswith("…") and len(label) <= charts.BAR_LABEL_CHARS
    assert root.find(f"{SVG}g/{SVG}title").text == f"{name}: 1"


def test_labels_and_titles_are_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    svg = charts.bar_chart('id"><x', hostile, [hostile], [5])
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert next(root.iter(f"{SVG}text")).text == hostile
    line = parse(charts.line_chart("l", hostile, [hostile], [(hostile, [2])]))
    assert hostile in [text.text for text in line.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    "svg",
    [
        charts.bar_chart("c", "Questions by tag", [], []),
        charts.bar_chart("c", "Questions by tag", ["Router", "Billing"], [0, 0]),
        charts.bar_chart("c", "Questions by tag", ["Router"], [None]),
        charts.line_chart("c", "Questions by tag", [], []),
        charts.line_chart("c", "Questions by tag", weeks(3), [("Questions", [0, 0, 0])]),
        charts.line_chart("c", "Questions by tag", weeks(2), [("Questions", [None, None])]),
    ],
    ids=["no bars", "zero bars", "unknown bar", "no weeks", "zero weeks", "unknown weeks"],
)
def test_empty_or_zero_series_draw_an_accessible_no_data_chart(svg):
    root = parse(svg)
    assert assert_accessible(root, "c", "Questions by tag") == "No data for this period."
    assert [text.text for text in root.iter(f"{SVG}text")] == ["No data for this period"]
    assert root.find(f".//{SVG}path") is None


def test_line_chart_draws_one_line_per_series_through_every_point():
    labels = weeks(4)
    root = parse(
        charts.line_chart(
            "w",
            "Community by week",
            labels,
            [("Questions", [4, 8, 2, 6]), ("Solved", [1, 2, 3, 4])],
        )
    )
    description = assert_accessible(root, "w", "Community by week")
    assert "4 weeks from 3 Mar 2025 to 24 Mar 2025" in description
    assert "Questions: from 4 to 6, highest 8" in description
    paths = [path.get("d") for path in root.iter(f"{SVG}path")]
    assert len(paths) == 2 and all(d.count("M") == 1 and d.count("L") == 3 for d in paths)
    ys = [float(point.split()[1]) for point in paths[0].replace("M", "L").split("L")[1:]]
    # Higher values are drawn higher (smaller y), at heights proportional to the values.
    bottom = ys[2] + (ys[2] - ys[1]) * 2 / 6  # the y of value 0, from the 2 → 8 step
    assert [(bottom - y) / (bottom - ys[1]) * 8 for y in ys] == pytest.approx([4, 8, 2, 6])
    tips = [circle.find(f"{SVG}title").text for circle in root.iter(f"{SVG}circle")]
    assert tips[1] == "10 Mar 2025: Questions 8" and len(tips) == 8
    legend = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-legend"]
    assert legend == ["Questions", "Solved"]


def test_series_differ_by_class_so_css_gives_each_a_colour_and_a_dash():
    root = parse(charts.line_chart("w", "T", weeks(2), [("A", [1, 2]), ("B", [2, 1])]))
    classes = {group.get("class") for group in root.iter(f"{SVG}g")}
    assert classes == {"chart-series-1", "chart-series-2"}
    assert root.find(f".//{SVG}path").get("stroke") is None  # no colour baked into the SVG


def test_a_missing_week_breaks_the_line_instead_of_inventing_a_value():
    root = parse(charts.line_chart("w", "Median hours", weeks(4), [("Hours", [3, None, 5, 4])]))
    d = root.find(f".//{SVG}path").get("d")
    assert d.count("M") == 2 and d.count("L") == 1
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_a_single_week_is_drawn_as_a_point():
    root = parse(charts.line_chart("w", "T", weeks(1), [("Questions", [3])]))
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_long_periods_label_only_some_weeks():
    root = parse(charts.line_chart("w", "T", weeks(13), [("Questions", list(range(13)))]))
    axis_days = [
        text.text for text in root.iter(f"{SVG}text") if "Mar" in text.text or "May" in text.text
    ]
    assert 1 < len(axis_days) <= charts.MAX_X_LABELS


@pytest.mark.parametrize(
    "largest, top, step",
    [(3, 3, 1), (7, 8, 2), (40, 40, 10), (0.9, 1.0, 0.25), (1234, 1500, 500), (0, 1, 1)],
)
def test_axis_scale_is_round(largest, top, step):
    assert charts.nice_scale(largest) == (pytest.approx(top), pytest.approx(step))


def test_chart_for_picks_the_chart_the_table_asks_for():
    line = Table(
        "weekly_cases", "Cases by week", ("Week", "Opened", "Solved"),
        ((date(2025, 3, 3), 2, 1), (date(2025, 3, 10), 4, 3)), ChartKind.LINE,
    )  # fmt: skip
    bar = Table("cases_by_agent", "By agent", ("Agent", "Solved"), (("Sam", 2),), ChartKind.BAR)
    plain = Table("top_contributors", "Top", ("Member", "Solutions"), (("kim", 3),))
    assert len(list(parse(charts.chart_for(line)).iter(f"{SVG}path"))) == 2
    assert parse(charts.chart_for(line)).find(f"{SVG}title").get("id") == "chart-weekly_cases-title"
    assert len(list(parse(charts.chart_for(bar)).iter(f"{SVG}rect"))) == 1
    assert charts.chart_for(plain) is None


@pytest.mark.parametrize(
    "value, label",
    [(0, "0"), (2.5, "2.5"), (950, "950"), (1500, "1,500"), (20000, "20K"), (1500000, "1.5M")],
)
def test_axis_labels_stay_short(value, label):
    assert charts.axis_number(value) == label


def test_large_counts_fit_the_axis_margin():
    root = parse(charts.line_chart("w", "T", weeks(2), [("Questions", [12000, 48000])]))
    y_axis_x = str(charts.MARGIN_LEFT - 6)
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("x") == y_axis_x]
    assert ticks[-1] == "60K" and all(len(tick) <= 5 for tick in ticks)
