"""The PIIA and the signed contract are served by core.files to whoever may see the agreement's
personal-information details."""

from sciencebridge.core.files import ProtectedFile

PROTECTED_FILES = [
    ProtectedFile(
        "dataflows.DataTransferAgreement",
        "piia_file",
        lambda user, a: user.has_perm("dataflows.view_agreement_details", a),
        download_name=lambda a: f"{a.reference}-PIIA.pdf",
        content_type="application/pdf",
    ),
    ProtectedFile(
        "dataflows.DataTransferAgreement",
        "signed_pdf",
        lambda user, a: user.has_perm("dataflows.view_agreement_details", a),
        download_name=lambda a: f"{a.reference}-signed.pdf",
        content_type="application/pdf",
    ),
]
