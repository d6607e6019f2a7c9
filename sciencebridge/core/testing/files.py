"""Test helpers for the permission-checked file route."""

import re

from django.core import signing

from sciencebridge.core.files import SALT

_FILE_LINK = re.compile(r'/files/([^/"\s]+)/')


def linked_file_names(html: str) -> set[str]:
    """The stored names behind every ``/files/<signed>/`` link in ``html``.

    Signed links carry a timestamp, so a page rendered a second before the test builds
    ``field.url`` links the same file through a different address; compare names instead.
    """
    names = set()
    for token in _FILE_LINK.findall(html):
        try:
            names.add(signing.loads(token, salt=SALT))
        except signing.BadSignature:
            continue
    return names
