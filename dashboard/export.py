"""Any dashboard table as a CSV file a spreadsheet opens safely.

Raw values, not the page's formatting: ISO dates, plain numbers (two decimals at most),
empty cells for "no data". Text that a spreadsheet would read as a formula (= + - @, or
a leading tab or carriage return) gets a leading apostrophe, so a tag or a search query
typed by a customer can never run in an agent's spreadsheet.

Words are in the viewer's language (the column names, "Unassigned", "thread #12"), the
values are not: numbers keep the decimal point and no thousands separator, dates are ISO
and the separator stays a comma in every language, so the same file reads the same way
in any program, script or locale (a French spreadsheet may ask for the separator and the
decimal mark when it imports it). The file name stays the table's key and its days.
"""

import csv
import io
from datetime import date

from flask_babel import pgettext

from dashboard.results import Period, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheet programs read a UTF-8 file as UTF-8 only when it starts with this mark.
BYTE_ORDER_MARK = "\ufeff"


def csv_cell(value) -> str | int | float:
    """One value as written to the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return pgettext("dashboard", "yes") if value else pgettext("dashboard", "no")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table) -> str:
    """The table's column names, then its rows, as CSV text (with the byte order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return BYTE_ORDER_MARK + buffer.getvalue()


def csv_filename(table: Table, period: Period) -> str:
    """questions_by_tag_2025-05-01_to_2025-05-30.csv: the table and the days it covers."""
    return f"{table.key}_{period.first_day.isoformat()}_to_{period.last_day.isoformat()}.csv"
