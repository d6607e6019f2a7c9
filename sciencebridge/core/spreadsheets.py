"""Every CSV and XLSX the platform writes goes through here, so no export can forget to neutralise
spreadsheet formulas (CSV/formula injection: a keyword ``=HYPERLINK("https://evil.example", "x")``
would otherwise be live when an officer opens the export in Excel or LibreOffice).

A text cell that starts with ``= + - @``, a tab or a carriage return is written with a leading
apostrophe (the OWASP recommendation): spreadsheet programs then show it as text. Numbers, dates and
booleans are written as they are (a negative *number* is not a formula). ``unescape_cell`` undoes it for
the importers, so an export read back in gives the original value.

``sciencebridge/core/tests/test_exports_escape.py`` fails when code outside this module builds a CSV
writer or a tablib dataset directly.
"""

import csv
import io

import tablib
from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(v) for v in row]


def unescape_cell(value):
    """The value ``safe_cell`` was given (for importers reading our own exports back)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every row is escaped."""

    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(fh, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(fh, **kwargs)


class Sheet:
    """Rows for one CSV/XLSX download; headers and cells are escaped as they are added."""

    def __init__(self, headers):
        self.dataset = tablib.Dataset(headers=safe_row(headers))

    def append(self, row) -> None:
        self.dataset.append(safe_row(row))

    def __len__(self):
        return len(self.dataset)

    def csv(self) -> str:
        buf = io.StringIO()
        writer = csv_writer(buf)
        writer.writerow(self.dataset.headers)  # already escaped; escaping twice is a no-op for "'"
        for row in self.dataset:
            writer.writerow(row)
        return buf.getvalue()

    def xlsx(self) -> bytes:
        return self.dataset.export("xlsx")

    def response(self, fmt: str, filename: str) -> HttpResponse:
        """A download: ``fmt`` "xlsx", anything else CSV (UTF-8 with BOM, so Excel reads Chinese)."""
        if fmt == "xlsx":
            resp = HttpResponse(self.xlsx(), content_type=XLSX_TYPE)
        else:
            fmt = "csv"
            resp = HttpResponse("\ufeff" + self.csv(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
        return resp


def csv_response(headers, rows, filename: str) -> HttpResponse:
    sheet = Sheet(headers)
    for row in rows:
        sheet.append(row)
    return sheet.response("csv", filename)
