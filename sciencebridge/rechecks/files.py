"""Recheck evidence is served by core.files to whoever may see the request: the half's team and its
side's officers."""

from sciencebridge.core.files import ProtectedFile


def can_download_evidence(user, req) -> bool:
    from .rules import can_view_request

    return bool(can_view_request(user, req))


PROTECTED_FILES = [
    ProtectedFile(
        "rechecks.RecheckRequest",
        "evidence",
        can_download_evidence,
        download_name=lambda r: r.evidence_name or "evidence.pdf",
        content_type="application/pdf",
    ),
]
