"""Progress and final report PDFs are served by core.files to whoever sees that side of the project."""

from sciencebridge.core.files import ProtectedFile


def can_download_report(user, report) -> bool:
    from .selectors import visible_projects

    side = report.project_side
    return visible_projects(user).filter(pk=side.project_id).exists() and user.has_perm(
        "projects.view_side", side
    )


PROTECTED_FILES = [
    ProtectedFile(
        "projects.Report",
        "file",
        can_download_report,
        download_name=lambda r: r.original_name or "report.pdf",
        content_type="application/pdf",
    ),
]
