"""Proposal attachments are served by core.files to whoever sees that half in full, and to its reviewers
(accepted, past the conflict check, without a conflict)."""

from sciencebridge.core.files import ProtectedFile


def can_download_attachment(user, attachment) -> bool:
    from .models import PartnerVisibility
    from .rules import half_visibility
    from .selectors import visible_proposals

    half = attachment.half
    if (
        visible_proposals(user).filter(pk=half.proposal_id).exists()
        and half_visibility(user, half) == PartnerVisibility.FULL
    ):
        return True
    # the reviewers of that half (the review page links its documents)
    from sciencebridge.review.selectors import reviewer_may_read_half

    return reviewer_may_read_half(user, half)


PROTECTED_FILES = [
    ProtectedFile(
        "funding.Attachment",
        "file",
        can_download_attachment,
        download_name=lambda a: a.original_name,
        content_type="application/pdf",
    ),
]
