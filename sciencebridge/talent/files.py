"""Exchange application documents are served by core.files to whoever may read the application."""

from sciencebridge.core.files import ProtectedFile

PROTECTED_FILES = [
    ProtectedFile(
        "talent.ApplicationDocument",
        "file",
        lambda user, doc: user.has_perm("talent.view_application", doc.application),
        download_name=lambda d: d.original_name,
        content_type="application/pdf",
    ),
]
