"""Annual reports' PDFs are served by core.files to whoever may see the grant."""

from sciencebridge.core.files import ProtectedFile

PROTECTED_FILES = [
    ProtectedFile(
        "labfunding.AnnualReport",
        field,
        lambda user, report: user.has_perm("labfunding.view_grant", report.grant),
        download_name=lambda r, f=field: f"{r.grant.platform.code}-{r.grant.year}-{f}.pdf",
        content_type="application/pdf",
    )
    for field in ("work_plan", "financial_report")
]
