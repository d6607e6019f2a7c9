"""Field checks shared by the profile forms and the bulk import."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 11,2 check digit, as ORCID defines it."""
    digits = orcid.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    check = "X" if result == 10 else str(result)
    return digits[-1] == check


def normalise_orcid(value: str) -> str:
    value = (value or "").strip()
    return re.sub(r"^https?://orcid\.org/", "", value, flags=re.I).upper()


def check_orcid(value: str) -> str | None:
    """None when valid, otherwise the reason."""
    v = normalise_orcid(value)
    if not ORCID_RE.match(v):
        return _("ORCID iD must look like 0000-0002-1825-0097.")
    if not orcid_checksum_ok(v):
        return _("ORCID iD check digit is wrong.")
    return None


def check_email(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return _("“%(v)s” is not a valid e-mail address.") % {"v": value}
    return None
