import csv

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from sciencebridge.core.models import StateTransition
from sciencebridge.experts.models import ExpertProfile, ExpertStatus
from sciencebridge.experts.services import importing
from sciencebridge.jobs.models import Job, JobState

HEADER = [
    "name_en",
    "name_zh",
    "email",
    "region",
    "institution",
    "department",
    "title",
    "discipline_codes",
    "keywords",
    "languages",
    "orcid",
    "consent_to_contact",
]

GOOD = [
    [
        "Chan Tai Man",
        "陳大文",
        "tm.chan@hku.hk",
        "HK",
        "hku",
        "Physics",
        "Professor",
        "F0201; nsfc:B01",
        "graphene, optics",
        "en, zh",
        "0000-0002-1825-0097",
        "yes",
    ],
    [
        "Li Wei",
        "李伟",
        "li.wei@tsinghua.edu.cn",
        "ML",
        "Tsinghua University",
        "",
        "",
        "520",
        "",
        "zh",
        "",
        "no",
    ],
    [
        "Wong Ka Yan",
        "",
        "ky.wong@cuhk.edu.hk",
        "Hong Kong",
        "The Chinese University of Hong Kong",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]
BAD = {  # spreadsheet row -> (row, expected fragment of the reason)
    5: (["", "", "noname@hku.hk", "HK", "hku", "", "", "", "", "", "", ""], "name_en"),
    6: (
        ["Bad Region", "", "bad.region@hku.hk", "XX", "hku", "", "", "", "", "", "", ""],
        "Unknown region",
    ),
    7: (
        ["Bad Inst", "", "bad.inst@hku.hk", "HK", "nowhere-u", "", "", "", "", "", "", ""],
        "Unknown institution",
    ),
    8: (
        ["Bad Code", "", "bad.code@hku.hk", "HK", "hku", "", "", "Z9999", "", "", "", ""],
        "Unknown discipline",
    ),
    9: (
        ["Bad Mail", "", "not-an-email", "HK", "hku", "", "", "", "", "", "", ""],
        "not a valid e-mail",
    ),
    10: (["Dup Mail", "", "TM.CHAN@hku.hk", "HK", "hku", "", "", "", "", "", "", ""], "row 2"),
    11: (
        ["In DB", "", "existing@example.org", "HK", "hku", "", "", "", "", "", "", ""],
        "already in the database",
    ),
    12: (
        [
            "Bad Orcid",
            "",
            "bad.orcid@hku.hk",
            "HK",
            "hku",
            "",
            "",
            "",
            "",
            "",
            "0000-0002-1825-0098",
            "",
        ],
        "check digit",
    ),
    13: (
        ["Ambiguous", "", "amb@hku.hk", "HK", "hku", "", "", "X01", "", "", "", ""],
        "several schemes",
    ),
    14: (
        ["Wrong Region", "", "wrong.region@hku.hk", "ML", "hku", "", "", "", "", "", "", ""],
        "does not match",
    ),
    15: (
        ["Consent", "", "consent@hku.hk", "HK", "hku", "", "", "", "", "", "", "maybe"],
        "Consent",
    ),
}


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def sample_csv(tmp_path, institutions, codes, make_expert):
    make_expert("Existing", email="existing@example.org")
    rows = GOOD + [r for r, _ in BAD.values()]
    return write_csv(tmp_path / "experts.csv", rows)


@pytest.mark.django_db
def test_bad_rows_rejected_with_row_number_and_reason_good_rows_imported(sample_csv, secretariat):
    report = importing.import_experts(
        sample_csv, actor=secretariat, report_path=sample_csv.parent / "r.csv"
    )
    assert report.imported == 3
    assert report.rejected == len(BAD)
    assert report.total == 3 + len(BAD)
    by_row = {e["row"]: " ".join(e["errors"]) for e in report.errors}
    assert set(by_row) == set(BAD)
    for row, (_data, fragment) in BAD.items():
        assert fragment in by_row[row], (row, by_row[row])
    chan = ExpertProfile.objects.get(email="tm.chan@hku.hk")
    assert (
        chan.status == ExpertStatus.ADMITTED
        and chan.name_zh == "陳大文"
        and chan.consent_to_contact
    )
    assert sorted(c.code for c in chan.discipline_codes.all()) == ["B01", "F0201"]
    assert chan.history.count() == 1
    assert StateTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(ExpertProfile),
        object_id=chan.pk,
        to_state="admitted",
        actor=secretariat,
    ).exists()
    assert ExpertProfile.objects.get(email="li.wei@tsinghua.edu.cn").institution.code == "tsinghua"
    assert ExpertProfile.objects.get(email="ky.wong@cuhk.edu.hk").region == "HK"
    assert not ExpertProfile.objects.filter(
        email__in=["noname@hku.hk", "bad.code@hku.hk", "amb@hku.hk"]
    ).exists()
    lines = (sample_csv.parent / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,email,name,reasons" and len(lines) == 1 + len(BAD)


@pytest.mark.django_db
def test_missing_required_column_rejects_file(tmp_path, institutions, codes):
    path = write_csv(tmp_path / "x.csv", [["A", "a@b.org"]], header=["name_en", "email"])
    report = importing.import_experts(path)
    assert report.imported == 0
    assert report.errors[0]["row"] == 1 and "region" in report.errors[0]["errors"][0]


@pytest.mark.django_db
def test_nothing_half_imported_when_a_row_fails_while_saving(sample_csv, secretariat, monkeypatch):
    """A batch that fails is rolled back and retried row by row; the row that still fails leaves nothing."""
    real_many = importing._executemany

    def failing_many(model, columns, rows):
        if model is StateTransition:  # fails after the profiles, codes and history were written
            raise IntegrityError("simulated")
        return real_many(model, columns, rows)

    monkeypatch.setattr(importing, "_executemany", failing_many)
    real_record = importing.record_initial_state

    def record(profile, **kw):
        if profile.email == "li.wei@tsinghua.edu.cn":
            raise IntegrityError("simulated failure for one row")
        return real_record(profile, **kw)

    monkeypatch.setattr(importing, "record_initial_state", record)
    report = importing.import_experts(sample_csv, actor=secretariat)
    assert report.imported == 2
    failed = [e for e in report.errors if e["row"] == 3]
    assert failed and "simulated failure" in failed[0]["errors"][0]
    # No profile, codes, history or workflow step for the failed row.
    assert not ExpertProfile.objects.filter(email="li.wei@tsinghua.edu.cn").exists()
    assert ExpertProfile.history.filter(email="li.wei@tsinghua.edu.cn").count() == 0
    assert (
        ExpertProfile.discipline_codes.through.objects.filter(
            expertprofile__email="li.wei@tsinghua.edu.cn"
        ).count()
        == 0
    )
    chan = ExpertProfile.objects.get(email="tm.chan@hku.hk")
    assert chan.discipline_codes.count() == 2 and chan.history.count() == 1
    assert StateTransition.objects.filter(object_id=chan.pk, to_state="admitted").count() == 1


@pytest.mark.django_db
def test_xlsx_import(tmp_path, institutions, codes):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([h.replace("_", " ").title() if h == "email" else h for h in HEADER])
    for r in GOOD:
        ws.append(r)
    ws.append(["Bad", "", "x@y", "HK", "hku"])
    wb.save(tmp_path / "experts.xlsx")
    report = importing.import_experts(tmp_path / "experts.xlsx", status=ExpertStatus.APPLIED)
    assert report.imported == 3 and report.rejected == 1 and report.errors[0]["row"] == 5
    assert ExpertProfile.objects.filter(status=ExpertStatus.APPLIED).count() == 3


@pytest.mark.django_db
def test_import_page_runs_job_and_serves_report(
    client, secretariat, sample_csv, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    upload = SimpleUploadedFile("experts.csv", sample_csv.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("experts:import"), {"file": upload, "status": "admitted"})
    job = Job.objects.get(kind="experts.import")
    assert resp.status_code == 302 and resp.url == reverse("experts:import_status", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert job.result["imported"] == 3 and job.result["rejected"] == len(BAD)
    page = client.get(resp.url)
    assert page.status_code == 200 and "Unknown region" in page.content.decode()
    assert job.result["report_name"] and "report_path" not in job.result
    report = client.get(default_storage.url(job.result["report_name"]))
    assert report.status_code == 200
    assert b"Unknown institution" in b"".join(report.streaming_content)


@pytest.mark.django_db
def test_only_secretariat_imports(client, officer, applicant):
    for user in (officer, applicant):
        client.force_login(user)
        assert client.get(reverse("experts:import")).status_code == 403


@pytest.mark.django_db
def test_export_round_trips_through_import(client, secretariat, sample_csv, tmp_path):
    importing.import_experts(sample_csv)
    client.force_login(secretariat)
    resp = client.get(reverse("experts:export", args=["csv"]))
    assert resp.status_code == 200
    text = resp.content.decode("utf-8-sig")
    assert "tm.chan@hku.hk" in text and "NSFC:F0201" in text.upper()
    ExpertProfile.objects.all().delete()
    path = tmp_path / "again.csv"
    path.write_text(text, encoding="utf-8")
    report = importing.import_experts(path)
    assert report.imported == 4 and report.rejected == 0  # 3 imported + the pre-existing expert
    xlsx = client.get(reverse("experts:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_progress_is_reported_in_both_steps(tmp_path, institutions, codes, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    path = write_csv(tmp_path / "p.csv", GOOD + [BAD[6][0]])
    calls = []
    report = importing.import_experts(
        path, progress=lambda i, total, msg: calls.append((i, total, str(msg)))
    )
    assert report.imported == 3
    assert any("Step 1" in m for _i, _t, m in calls) and any("Step 2" in m for _i, _t, m in calls)
    step2 = [(i, t) for i, t, m in calls if "Step 2" in m]
    assert step2[-1] == (3, 3) and [i for i, _t in step2] == sorted(i for i, _t in step2)
