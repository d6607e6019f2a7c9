"""The choices of the research-dataset register, configurable because no official form exists ([U] in
domain.md §3): a deployment replaces them with ``DATAFLOWS_DATASET_CLASSIFICATIONS`` and
``DATAFLOWS_DATASET_LICENCES`` in its settings (lists of (code, label) pairs). The model fields store the
code; their ``choices`` are these callables, so changing the lists needs no migration."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_CLASSIFICATIONS = [
    ("open", _("Open")),
    ("internal", _("Internal to the project")),
    ("confidential", _("Confidential")),
    ("restricted", _("Restricted (export-controlled or important data)")),
]

DEFAULT_LICENCES = [
    ("cc-by-4.0", _("CC BY 4.0")),
    ("cc0", _("CC0 (public domain)")),
    ("project-agreement", _("Project agreement only")),
    ("data-use-agreement", _("Data-use agreement")),
    ("other", _("Other (described)")),
]


def classifications():
    return list(
        getattr(settings, "DATAFLOWS_DATASET_CLASSIFICATIONS", None) or DEFAULT_CLASSIFICATIONS
    )


def licences():
    return list(getattr(settings, "DATAFLOWS_DATASET_LICENCES", None) or DEFAULT_LICENCES)
