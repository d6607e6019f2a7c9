"""Batch nomination by a university's research office: a CSV or XLSX file, one nomination a row.

Columns (header names, any case; extra columns are ignored): ``email`` (the expert's e-mail address in the
expert database, required), ``database`` (``programmes``, ``awards`` or ``cast``, required), ``society``
(for ``cast``), ``statement`` (optional). Every row gets a line in the report: nominated (with the
nomination) or refused with its reasons; nothing is dropped silently. Rows are independent: a bad row does
not stop the good ones.
"""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sciencebridge.core.spreadsheets import unescape_cell

from ..models import NominationBatch, TargetDatabase
from . import nominations as svc

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("email", "database", "society", "statement")
ALIASES = {"e_mail": "email", "expert_email": "email", "db": "database", "target": "database"}
DB_ALIASES = {
    **{c: c for c in TargetDatabase.values},
    **{str(label).lower(): c for c, label in TargetDatabase.choices},
}


def _key(h) -> str:
    k = str(h or "").strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(k, k)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unescape_cell(str(v).strip())


def read_rows(upload) -> list[tuple[int, dict]]:
    """(row number in the file, {column: text}) for every non-empty data row."""
    upload.seek(0)
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    name = (getattr(upload, "name", "") or "").lower()
    rows: list[tuple[int, dict]] = []
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many types for a file that is not XLSX
            raise ValidationError(_("The file is not a readable XLSX workbook.")) from None
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header = [_key(h) for h in next(it, ())]
            for n, values in enumerate(it, start=2):
                if values is None or all(_cell(v) == "" for v in values):
                    continue
                rows.append((n, {k: _cell(v) for k, v in zip(header, values, strict=False) if k}))
        finally:
            wb.close()
    elif name.endswith(".csv"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file is not UTF-8 text.")) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [_key(h) for h in next(reader, [])]
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            rows.append((n, {k: _cell(v) for k, v in zip(header, values, strict=False) if k}))
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    missing = {"email", "database"} - set(header)
    if missing:
        raise ValidationError(
            _("The file has no %(cols)s column; the columns are: %(all)s.")
            % {"cols": ", ".join(sorted(missing)), "all": ", ".join(COLUMNS)}
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most %(n)s rows in one file.") % {"n": MAX_ROWS})
    return rows


def batch_nominate(actor, exercise, upload) -> NominationBatch:
    if not actor.has_perm("nominations.nominate", exercise):
        raise PermissionDenied(
            _("Only the research offices of this exercise's universities nominate experts.")
        )
    if not exercise.is_open():
        raise ValidationError(
            _("The exercise takes nominations from %(a)s to %(b)s.")
            % {"a": exercise.opens_on, "b": exercise.closes_on}
        )
    rows = read_rows(upload)
    if not rows:
        raise ValidationError(_("The file has no data rows."))
    batch = NominationBatch.objects.create(
        exercise=exercise,
        institution_id=actor.institution_id,
        uploaded_by=actor,
        filename=(getattr(upload, "name", "") or "upload")[:255],
    )
    report = []
    seen = set()
    for n, row in rows:
        email = row.get("email", "").strip().lower()
        database = DB_ALIASES.get(row.get("database", "").strip().lower(), row.get("database", ""))
        line = {"row": n, "email": email, "database": database, "ok": False, "messages": []}
        if (email, database) in seen:
            line["messages"] = [_("The same expert and database appear on an earlier row.")]
        else:
            seen.add((email, database))
            try:
                nom = svc.nominate(
                    actor,
                    exercise,
                    email=email,
                    database=database,
                    society=row.get("society", ""),
                    statement=row.get("statement", ""),
                    batch=batch,
                )
            except ValidationError as e:
                line["messages"] = (
                    [m for msgs in e.message_dict.values() for m in msgs]
                    if hasattr(e, "error_dict")
                    else list(e.messages)
                )
            else:
                line["ok"] = True
                line["nomination"] = nom.pk
                line["expert"] = str(nom.expert)
        report.append(line)
    batch.rows = report
    batch.n_ok = sum(1 for r in report if r["ok"])
    batch.n_bad = len(report) - batch.n_ok
    batch.save(update_fields=["rows", "n_ok", "n_bad"])
    return batch
