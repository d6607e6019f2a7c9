"""Bulk import of experts from CSV or XLSX, with a row-by-row validation report.

Two passes over the file:

1. **Validate every row** (required fields, region code, institution known by code or name,
   discipline codes known, e-mail valid and unique within the file and the database, ORCID check
   digit). Nothing is written.
2. **Import only the good rows**, in batches of ``BATCH`` with ``bulk_create`` (profile, its
   discipline codes, its history record and its initial workflow step). A batch is one
   transaction, so a row is either wholly imported or not at all. If a batch fails (e.g. another
   user added one of its e-mails meanwhile), it is rolled back and its rows are retried one by
   one, each in its own transaction; a row that still fails is reported as rejected.

Row numbers in the report are spreadsheet rows: the header is row 1, the first expert row 2.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.accounts.models import User
from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.models import StateTransition
from sciencebridge.core.spreadsheets import csv_writer, unescape_cell
from sciencebridge.core.workflow import Because, because, reason_fields, record_initial_state
from sciencebridge.institutions.models import Institution, Region

from ..models import ExpertProfile, ExpertStatus, split_list
from .validation import check_email, check_orcid, normalise_orcid

BATCH = 1000
COLUMNS = [
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
REQUIRED = ("name_en", "email", "region", "institution")
ALIASES = {
    "name": "name_en",
    "english_name": "name_en",
    "name_english": "name_en",
    "chinese_name": "name_zh",
    "name_chinese": "name_zh",
    "e_mail": "email",
    "mail": "email",
    "institution_code": "institution",
    "institution_name": "institution",
    "codes": "discipline_codes",
    "discipline": "discipline_codes",
    "disciplines": "discipline_codes",
    "orcid_id": "orcid",
    "consent": "consent_to_contact",
    "professional_title": "title",
    "language": "languages",
}
REGION_WORDS = {
    "hk": Region.HONG_KONG,
    "hong kong": Region.HONG_KONG,
    "hongkong": Region.HONG_KONG,
    "香港": Region.HONG_KONG,
    "ml": Region.MAINLAND,
    "mainland": Region.MAINLAND,
    "cn": Region.MAINLAND,
    "内地": Region.MAINLAND,
    "內地": Region.MAINLAND,
    "mo": Region.MACAO,
    "macao": Region.MACAO,
    "macau": Region.MACAO,
    "澳门": Region.MACAO,
    "澳門": Region.MACAO,
    "ov": Region.OVERSEAS,
    "overseas": Region.OVERSEAS,
    "海外": Region.OVERSEAS,
}
YES = {"y", "yes", "true", "1", "是", "同意"}
NO = {"", "n", "no", "false", "0", "否"}
MAX_ERRORS_IN_RESULT = 500


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------
def _header_key(h) -> str:
    k = str(h or "").strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(k, k)


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(spreadsheet row number, {column: text}) for every non-empty data row of a CSV or XLSX file."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = [_header_key(h) for h in next(rows, ())]
            for n, values in enumerate(rows, start=2):
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield (
                    n,
                    {
                        k: unescape_cell(
                            (
                                ""
                                if v is None
                                else str(int(v))
                                if isinstance(v, float) and v.is_integer()
                                else str(v)
                            ).strip()
                        )
                        for k, v in zip(header, values, strict=False)
                        if k
                    },
                )
        finally:
            wb.close()
        return
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [_header_key(h) for h in next(reader, [])]
    for n, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield n, {k: unescape_cell(v.strip()) for k, v in zip(header, values, strict=False) if k}


def read_header(path) -> list[str]:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            first = next(wb.worksheets[0].iter_rows(values_only=True), ())
        finally:
            wb.close()
        return [_header_key(h) for h in first]
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    line = _decode(head.split(b"\n")[0]).rstrip("\r") if head else ""
    return [_header_key(h) for h in next(csv.reader([line]), [])]


def count_rows(path) -> int:
    return sum(1 for _ in read_rows(path))


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------
class Lookups:
    """Reference data loaded once per import (institutions, discipline codes, existing e-mails)."""

    def __init__(self):
        self.inst_by_code: dict[str, tuple[int, str]] = {}
        self.inst_by_name: dict[str, set[int]] = {}
        self.inst_region: dict[int, str] = {}
        name_fields = [
            f.name
            for f in Institution._meta.get_fields()
            if getattr(f, "name", "").startswith("name") or f.name == "short_name"
        ]
        for row in Institution.objects.values("id", "code", "region", *name_fields):
            self.inst_by_code[row["code"].lower()] = row["id"]
            self.inst_region[row["id"]] = row["region"]
            for f in name_fields:
                if row[f]:
                    self.inst_by_name.setdefault(row[f].strip().casefold(), set()).add(row["id"])
        self.code_by_key: dict[str, int] = {}
        self.code_bare: dict[str, set[int]] = {}
        for cid, code, scheme in DisciplineCode.objects.values_list("id", "code", "scheme__code"):
            self.code_by_key[f"{scheme}:{code}".upper()] = cid
            self.code_bare.setdefault(code.upper(), set()).add(cid)
        self.db_emails: set[str] = set(ExpertProfile.objects.values_list("email", flat=True))

    def institution(self, value: str) -> tuple[int | None, str | None]:
        v = value.strip()
        if v.lower() in self.inst_by_code:
            return self.inst_by_code[v.lower()], None
        ids = self.inst_by_name.get(v.casefold(), set())
        if len(ids) == 1:
            return next(iter(ids)), None
        if len(ids) > 1:
            return None, _("Institution “%(v)s” matches several institutions; use its code.") % {
                "v": v
            }
        return None, _("Unknown institution “%(v)s”.") % {"v": v}

    def codes(self, value: str) -> tuple[list[int], list[str]]:
        ids, errors, unknown = [], [], []
        for tok in (
            t for t in value.replace(",", ";").replace("，", ";").replace(" ", ";").split(";") if t
        ):
            key = tok.strip().upper()
            if ":" in key:
                cid = self.code_by_key.get(key)
                if cid is None:
                    unknown.append(tok)
                else:
                    ids.append(cid)
                continue
            found = self.code_bare.get(key, set())
            if len(found) == 1:
                ids.append(next(iter(found)))
            elif len(found) > 1:
                errors.append(
                    _("Discipline code “%(c)s” exists in several schemes; write it as SCHEME:CODE.")
                    % {"c": tok}
                )
            else:
                unknown.append(tok)
        if unknown:
            errors.append(_("Unknown discipline code(s): %(c)s.") % {"c": ", ".join(unknown)})
        return sorted(set(ids)), errors


def clean_row(row: dict, lk: Lookups) -> tuple[dict, list[str]]:
    """Check one row on its own (uniqueness is checked by the caller). Returns (clean data, errors)."""
    errors: list[str] = []
    for f in REQUIRED:
        if not row.get(f, "").strip():
            errors.append(_("Missing required field “%(f)s”.") % {"f": f})
    data = {
        "name_en": row.get("name_en", "")[:200],
        "name_zh": row.get("name_zh", "")[:100],
        "department": row.get("department", "")[:200],
        "title": row.get("title", "")[:100],
        "keywords": row.get("keywords", ""),
        "languages": ", ".join(split_list(row.get("languages", "")))[:100],
    }
    email = row.get("email", "").strip().lower()
    if email:
        msg = check_email(email)
        if msg:
            errors.append(msg)
    data["email"] = email
    region_raw = row.get("region", "").strip()
    region = REGION_WORDS.get(region_raw.lower()) if region_raw else None
    if region_raw and region is None:
        errors.append(_("Unknown region code “%(v)s” (use HK, ML, MO or OV).") % {"v": region_raw})
    data["region"] = region
    inst_raw = row.get("institution", "").strip()
    data["institution_id"] = None
    if inst_raw:
        inst_id, msg = lk.institution(inst_raw)
        if msg:
            errors.append(msg)
        data["institution_id"] = inst_id
        if inst_id and region and lk.inst_region[inst_id] != region:
            errors.append(
                _("Region %(r)s does not match the institution's region %(i)s.")
                % {"r": region, "i": lk.inst_region[inst_id]}
            )
    data["code_ids"], code_errors = lk.codes(row.get("discipline_codes", ""))
    errors.extend(code_errors)
    orcid = row.get("orcid", "").strip()
    if orcid:
        msg = check_orcid(orcid)
        if msg:
            errors.append(msg)
        orcid = normalise_orcid(orcid)
    data["orcid"] = orcid
    consent = row.get("consent_to_contact", "").strip().lower()
    if consent not in YES | NO:
        errors.append(_("Consent must be yes or no, not “%(v)s”.") % {"v": consent})
    data["consent_to_contact"] = consent in YES
    return data, errors


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row", "email", "name", "errors": [...]}
    seconds: float = 0.0
    report_path: str = ""

    def reject(self, n: int, row: dict, reasons: list[str]) -> None:
        self.rejected += 1
        self.errors.append(
            {
                "row": n,
                "email": row.get("email", ""),
                "name": row.get("name_en", ""),
                "errors": list(reasons),
            }
        )

    def as_dict(self) -> dict:
        errors = sorted(self.errors, key=lambda e: e["row"])
        return {
            "total": self.total,
            "imported": self.imported,
            "rejected": self.rejected,
            "errors": errors[:MAX_ERRORS_IN_RESULT],
            "errors_truncated": len(errors) > MAX_ERRORS_IN_RESULT,
            "seconds": round(self.seconds, 2),
            "report_path": self.report_path,
        }

    def write_csv(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv_writer(fh)
            w.writerow(["row", "email", "name", "reasons"])
            for e in sorted(self.errors, key=lambda e: e["row"]):
                w.writerow([e["row"], e["email"], e["name"], " | ".join(e["errors"])])
        self.report_path = str(path)


def validate_file(
    path,
    lk: Lookups,
    report: ImportReport,
    progress: Callable[[int, int, str], None] | None = None,
    total: int = 0,
) -> set[int]:
    """Pass 1: check every row; record bad rows in ``report``. Returns the good row numbers."""
    good: set[int] = set()
    first_row_of_email: dict[str, int] = {}
    for i, (n, row) in enumerate(read_rows(path), start=1):
        data, errors = clean_row(row, lk)
        email = data["email"]
        if email and not errors:
            if email in first_row_of_email:
                errors.append(
                    _("E-mail %(e)s is already used in row %(n)d of this file.")
                    % {"e": email, "n": first_row_of_email[email]}
                )
            elif email in lk.db_emails:
                errors.append(
                    _("An expert with e-mail %(e)s is already in the database.") % {"e": email}
                )
        if errors:
            report.reject(n, row, errors)
        else:
            good.add(n)
            first_row_of_email[email] = n
        if progress and i % BATCH == 0:
            progress(i, total, because(gettext_noop("Step 1 of 2: checking row %(i)d"), i=i))
    report.total = len(good) + report.rejected
    return good


# ----------------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------------
def _profile(data: dict, status: str) -> ExpertProfile:
    return ExpertProfile(
        name_en=data["name_en"],
        name_zh=data["name_zh"],
        email=data["email"],
        region=data["region"],
        institution_id=data["institution_id"],
        department=data["department"],
        title=data["title"],
        keywords=data["keywords"],
        languages=data["languages"],
        orcid=data["orcid"],
        consent_to_contact=data["consent_to_contact"],
        status=status,
    )


def _link_users(profiles: list[ExpertProfile]) -> None:
    """Attach existing accounts with the same e-mail (that have no expert profile yet)."""
    emails = [p.email for p in profiles]
    users = dict(
        User.objects.filter(email__in=emails, expert_profile__isnull=True).values_list(
            "email", "id"
        )
    )
    lower = {e.lower(): uid for e, uid in users.items()}
    for p in profiles:
        p.user_id = lower.get(p.email)


def _executemany(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _insert_batch(batch: list[tuple[int, dict]], status: str, actor, reason: Because, ct) -> None:
    """One transaction: profiles, their codes, history rows and initial workflow steps."""
    from django.utils import timezone

    profiles = [_profile(d, status) for _n, d in batch]
    _link_users(profiles)
    now = timezone.now()
    for p in profiles:
        p.state_changed_at = now
    with transaction.atomic():
        created = ExpertProfile.objects.bulk_create(profiles)
        if any(p.pk is None for p in created):  # backend without RETURNING: do it row by row
            raise DatabaseError("bulk_create did not return primary keys")
        # The two link tables have only plain columns: executemany skips the ORM's per-value work
        # (about a third of the import time at 50k rows).
        through = ExpertProfile.discipline_codes.through
        _executemany(
            through,
            ["expertprofile_id", "disciplinecode_id"],
            [
                (p.pk, cid)
                for p, (_n, d) in zip(created, batch, strict=True)
                for cid in d["code_ids"]
            ],
        )
        ExpertProfile.history.bulk_history_create(
            created, default_user=actor, default_change_reason=str(reason)
        )
        why = reason_fields(reason)
        params = connection.ops.adapt_json_value(why["reason_params"], None)
        at = connection.ops.adapt_datetimefield_value(now)
        _executemany(
            StateTransition,
            [
                "content_type_id",
                "object_id",
                "from_state",
                "to_state",
                "actor_id",
                "at",
                "reason",
                "reason_msgid",
                "reason_params",
                "visible_to_applicant",
            ],
            [
                (ct.pk, p.pk, "", status, actor.pk if actor else None, at)
                + (why["reason"], why["reason_msgid"], params, True)
                for p in created
            ],
        )


def _insert_one(n: int, data: dict, status: str, actor, reason: Because) -> None:
    with transaction.atomic():
        profile = _profile(data, status)
        _link_users([profile])
        profile._history_user = actor
        profile.save()
        profile.discipline_codes.set(data["code_ids"])
        record_initial_state(profile, actor=actor, reason=reason)


def import_experts(
    path,
    *,
    actor=None,
    status: str = ExpertStatus.ADMITTED,
    source_name: str = "",
    progress: Callable[[int, int, str], None] | None = None,
    report_path: Path | None = None,
) -> ImportReport:
    """Validate every row, then import the good ones. See the module docstring."""
    started = time.perf_counter()
    report = ImportReport()
    missing = [c for c in REQUIRED if c not in read_header(path)]
    if missing:
        report.errors.append(
            {
                "row": 1,
                "email": "",
                "name": "",
                "errors": [
                    _("The file has no column(s) %(c)s. Expected columns: %(all)s.")
                    % {"c": ", ".join(missing), "all": ", ".join(COLUMNS)}
                ],
            }
        )
        if report_path is not None:
            report.write_csv(Path(report_path))
        return report
    total = count_rows(path)
    lk = Lookups()
    if progress:
        progress(0, total, because(gettext_noop("Step 1 of 2: checking %(n)d rows"), n=total))
    good = validate_file(path, lk, report, progress, total)
    del lk.db_emails
    reason = because(gettext_noop("Imported from %(f)s"), f=source_name or Path(path).name)
    ct = ContentType.objects.get_for_model(ExpertProfile)
    done = 0

    def flush(batch):
        nonlocal done
        try:
            _insert_batch(batch, status, actor, reason, ct)
            report.imported += len(batch)
        except (IntegrityError, DatabaseError):
            for n, data in batch:
                try:
                    _insert_one(n, data, status, actor, reason)
                    report.imported += 1
                except (IntegrityError, DatabaseError) as exc:
                    report.reject(n, data, [_("Could not be saved: %(e)s") % {"e": exc}])
        done += len(batch)
        if progress:
            progress(
                done,
                len(good),
                because(
                    gettext_noop("Step 2 of 2: imported %(i)d of %(n)d good rows"),
                    i=report.imported,
                    n=len(good),
                ),
            )

    if progress:
        progress(
            0,
            len(good),
            because(gettext_noop("Step 2 of 2: importing %(n)d good rows"), n=len(good)),
        )
    batch: list[tuple[int, dict]] = []
    for n, row in read_rows(path):
        if n not in good:
            continue
        data, _errors = clean_row(row, lk)
        batch.append((n, data))
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    report.seconds = time.perf_counter() - started
    if report_path is not None:
        report.write_csv(Path(report_path))
    return report


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "expert_imports"


def run_import_job(job, path: str, filename: str = "", status: str = ExpertStatus.ADMITTED) -> dict:
    """Background-job handler (see sciencebridge.jobs.runner)."""
    actor = job.created_by

    def progress(i, total, message):
        job.report(i, total, message)

    with tempfile.TemporaryDirectory() as tmp:
        report = import_experts(
            path,
            actor=actor,
            status=status,
            source_name=filename,
            progress=progress,
            report_path=Path(tmp) / "report.csv",
        )
        result = report.as_dict()
        if report.report_path:  # kept in the file storage (random name; served by core.files)
            with open(report.report_path, "rb") as fh:
                result["report_name"] = default_storage.save(
                    f"expert_imports/report-{job.pk}.csv", File(fh)
                )
    del result["report_path"]
    job.report(
        report.imported + report.rejected,
        report.total,
        because(
            gettext_noop("Imported %(i)d experts, rejected %(r)d rows."),
            i=report.imported,
            r=report.rejected,
        ),
    )
    with contextlib.suppress(OSError):
        os.remove(path)  # the uploaded file is not kept
    return result
