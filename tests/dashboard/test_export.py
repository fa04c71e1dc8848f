"""CSV export: raw values, ISO dates, period-named files, no formulas from user text."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from dashboard.export import csv_cell, csv_filename, table_csv
from dashboard.results import Period, Table


@pytest.mark.parametrize(
    "typed", ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(typed):
    assert csv_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value, written",
    [
        (-3, -3),  # numbers stay numbers, even negative ones
        (2.3456, 2.35),
        (None, ""),
        (date(2025, 1, 6), "2025-01-06"),
        ("Wi-Fi = slow", "Wi-Fi = slow"),
        ("Ünïcode 🙂", "Ünïcode 🙂"),
    ],
)
def test_values_are_written_raw(value, written):
    assert csv_cell(value) == written


def test_table_csv_has_the_columns_then_the_rows_and_a_byte_order_mark():
    table = Table("questions_by_tag", "Questions by tag", ("Tag", "Questions"),
                  (("Router, Wi-Fi", 8), ("José's \"tag\"", 2)))  # fmt: skip
    text = table_csv(table)
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["Tag", "Questions"], ["Router, Wi-Fi", "8"], ["José's \"tag\"", "2"]
    ]  # fmt: skip


def test_empty_table_is_just_its_header():
    assert table_csv(Table("gaps", "Gaps", ("Query", "Searches"), ())) == "\ufeffQuery,Searches\r\n"


def test_filename_names_the_table_and_both_days_included():
    period = Period(datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 5, 31, tzinfo=UTC))
    table = Table("weekly_cases", "Cases by week", ("Week",), ())
    assert csv_filename(table, period) == "weekly_cases_2025-05-01_to_2025-05-30.csv"
