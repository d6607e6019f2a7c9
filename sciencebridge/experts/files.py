"""Expert-import reports (names and e-mails of rejected rows) are served by core.files to the person who
ran the import, while they may still manage experts, and to administrators."""

from sciencebridge.core.files import ProtectedFile


def can_download_import_report(user, job) -> bool:
    from .rules import can_manage_experts

    return user.is_superuser or (job.created_by_id == user.pk and can_manage_experts(user))


PROTECTED_FILES = [
    ProtectedFile(
        "jobs.Job",
        "result__report_name",
        can_download_import_report,
        download_name=lambda job: f"expert-import-{job.pk}-report.csv",
        content_type="text/csv; charset=utf-8",
        filter={"kind": "experts.import"},
    ),
]
